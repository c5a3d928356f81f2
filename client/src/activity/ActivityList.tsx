/** A feed of activity lines with their relative times; everything rendered as text. */
import { Link } from 'react-router';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { RelativeTime } from '../time/RelativeTime.tsx';
import { activityText, describeActivity } from './format.ts';

function ActivityItem({ event, linkTitles }: { event: ActivityEvent; linkTitles: boolean }) {
  const line = describeActivity(event);
  const joiner = event.type === 'document.edited' ? ': ' : ' ';
  const title =
    linkTitles && event.type !== 'document.deleted' ? (
      <Link to={`/d/${encodeURIComponent(event.documentId)}`}>{line.title}</Link>
    ) : (
      <span className="activity-title">{line.title}</span>
    );
  return (
    <li className="activity-item" aria-label={activityText(event)} data-type={event.type}>
      <span className="activity-swatch" style={{ backgroundColor: event.actor.color }} aria-hidden="true" />
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

export function ActivityList({ events, linkTitles }: { events: readonly ActivityEvent[]; linkTitles: boolean }) {
  return (
    <ol className="activity-list">
      {events.map((event) => (
        <ActivityItem key={event.id} event={event} linkTitles={linkTitles} />
      ))}
    </ol>
  );
}
