/** A feed of activity lines with their relative times; everything rendered as text. */
import { useMemo } from 'react';
import { Link } from 'react-router';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { Avatar } from '../people/Avatar.tsx';
import { useDistinctNames } from '../people/useDistinctNames.ts';
import { RelativeTime } from '../time/RelativeTime.tsx';
import { activityText, describeActivity } from './format.ts';

function ActivityItem({ event, actor, linkTitles }: { event: ActivityEvent; actor: string; linkTitles: boolean }) {
  const line = describeActivity(event, actor);
  const joiner = event.type === 'document.edited' ? ': ' : ' ';
  const title =
    linkTitles && event.type !== 'document.deleted' ? (
      <Link to={`/d/${encodeURIComponent(event.documentId)}`}>{line.title}</Link>
    ) : (
      <span className="activity-title">{line.title}</span>
    );
  return (
    <li className="activity-item" aria-label={activityText(event, actor)} data-type={event.type} data-actor-id={event.actor.id}>
      <Avatar person={event.actor} small title={actor} />
      <p className="activity-line">
        <strong>{line.actor}</strong> {line.verb} {title}
        {line.detail !== '' && (
          <>
            {joiner}
            <span className="activity-detail">{line.detail}</span>
          </>
        )}
      </p>
      <RelativeTime at={event.at} />
    </li>
  );
}

/** The events, keyed by id; two actors who share a name are told apart by email. */
export function ActivityList({ events, linkTitles }: { events: readonly ActivityEvent[]; linkTitles: boolean }) {
  const actors = useMemo(() => events.map((event) => event.actor), [events]);
  const nameOf = useDistinctNames(actors);
  return (
    <ol className="activity-list">
      {events.map((event) => (
        <ActivityItem key={event.id} event={event} actor={nameOf(event.actor)} linkTitles={linkTitles} />
      ))}
    </ol>
  );
}
