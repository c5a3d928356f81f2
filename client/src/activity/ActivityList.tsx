/**
 * A feed of activity sentences with their relative times, runs of similar events told as one line
 * that opens into its events; each edit links to its changes. Everything rendered as text.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { Avatar } from '../people/Avatar.tsx';
import { useDistinctNames } from '../people/useDistinctNames.ts';
import { RelativeTime } from '../time/RelativeTime.tsx';
import { describeActivity, lineText, type ActivityLine } from './format.ts';
import { describeGroup, groupActivity, type ActivityGroup } from './group.ts';

type NameOf = (person: { id: string; name: string }) => string;

/** Where an edit's revision (or the one a restore went back to) is shown with its changes; null for other events and for edits from before history. */
export function changesPath(event: ActivityEvent): string | null {
  const revisionId = event.type === 'document.edited' || event.type === 'document.restored' ? event.details.revisionId : undefined;
  if (revisionId === undefined) return null;
  return `/d/${encodeURIComponent(event.documentId)}/history?revision=${revisionId}`;
}

/** One line of the feed: who, the sentence, when, what else it offers (`children`, after the time) and what opens `below` it. */
function ActivityRow({
  event,
  line,
  linkTitles,
  children,
  below,
}: {
  /** The event the line is about (the newest of a run). */
  event: ActivityEvent;
  line: ActivityLine;
  linkTitles: boolean;
  children?: ReactNode;
  below?: ReactNode;
}) {
  const linkTitle = linkTitles && line.objectIsDocument && event.type !== 'document.deleted';
  return (
    <li className="activity-item" aria-label={lineText(line)} data-type={event.type} data-actor-id={event.actor.id}>
      <Avatar person={event.actor} small title={line.actor} />
      <p className="activity-line">
        <strong>{line.actor}</strong> {line.verb}{' '}
        {linkTitle ? (
          <Link to={`/d/${encodeURIComponent(event.documentId)}`}>{line.object}</Link>
        ) : (
          <span className="activity-title">{line.object}</span>
        )}
        {line.after !== '' && <span className="activity-detail">{line.after}</span>}
      </p>
      <p className="activity-meta">
        <RelativeTime at={event.at} />
        {children}
      </p>
      {below}
    </li>
  );
}

function ActivityItem({ event, nameOf, linkTitles }: { event: ActivityEvent; nameOf: NameOf; linkTitles: boolean }) {
  const changes = changesPath(event);
  return (
    <ActivityRow event={event} line={describeActivity(event, nameOf(event.actor))} linkTitles={linkTitles}>
      {changes !== null && (
        <>
          {' · '}
          {/* A restore names the version it went back to: that is what its link shows. */}
          <Link to={changes}>{event.type === 'document.restored' ? 'See that version' : 'See changes'}</Link>
        </>
      )}
    </ActivityRow>
  );
}

/** A run of similar events: one sentence, and its events on request. */
function ActivityRun({ group, nameOf, linkTitles }: { group: ActivityGroup; nameOf: NameOf; linkTitles: boolean }) {
  const [open, setOpen] = useState(false);
  const [newest] = group.events;
  return (
    <ActivityRow
      event={newest}
      line={describeGroup(group, nameOf(newest.actor))}
      linkTitles={linkTitles}
      below={
        open && (
          <ol className="activity-list activity-run-events">
            {group.events.map((event) => (
              <ActivityItem key={event.id} event={event} nameOf={nameOf} linkTitles={linkTitles} />
            ))}
          </ol>
        )
      }
    >
      {' · '}
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : `Show all ${group.events.length}`}
      </button>
    </ActivityRow>
  );
}

/** The events, newest first, in runs; two actors who share a name are told apart by email. */
export function ActivityList({ events, linkTitles }: { events: readonly ActivityEvent[]; linkTitles: boolean }) {
  const actors = useMemo(() => events.map((event) => event.actor), [events]);
  const nameOf = useDistinctNames(actors);
  const groups = useMemo(() => groupActivity(events), [events]);
  return (
    <ol className="activity-list">
      {groups.map((group) =>
        group.events.length === 1 ? (
          <ActivityItem key={group.key} event={group.events[0]} nameOf={nameOf} linkTitles={linkTitles} />
        ) : (
          <ActivityRun key={group.key} group={group} nameOf={nameOf} linkTitles={linkTitles} />
        ),
      )}
    </ol>
  );
}
