/** A complete feed: live indicator, states for loading, empty and error, and older pages. */
import { useEffect, useMemo } from 'react';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { ACTIVITY_PAGE_SIZE } from '../api/activity.ts';
import { errorMessage } from '../api/problem.ts';
import { useShareToken } from '../sharing/shareToken.tsx';
import { ActivityList } from './ActivityList.tsx';
import type { StreamStatus } from './liveStore.ts';
import { useActivityFeed, type ActivityFeed as ActivityFeedData } from './useActivityFeed.ts';

const STATUS_TEXT: Record<StreamStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

function emptyText(documentId: string | undefined, actorId: string | undefined): string {
  if (actorId !== undefined) return 'Nothing from this person here yet.';
  return documentId === undefined ? 'Nothing has happened yet.' : 'No activity on this document yet.';
}

/** Pages a feed narrowed to one person reads through, at most, before it waits to be asked for more. */
const PERSON_PAGES_MAX = 5;

/**
 * Narrows a feed to one person's events. The server filters by document only, so while too few
 * of them are loaded, older pages are fetched (a few, not the whole history).
 */
function usePersonFilter(events: ActivityEvent[], history: ActivityFeedData['history'], actorId: string | undefined): ActivityEvent[] {
  const shown = useMemo(() => (actorId === undefined ? events : events.filter((event) => event.actor.id === actorId)), [events, actorId]);
  const pages = history.data?.pages.length ?? 0;
  const wantMore = actorId !== undefined && shown.length < ACTIVITY_PAGE_SIZE && pages < PERSON_PAGES_MAX;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = history;
  useEffect(() => {
    if (wantMore && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [wantMore, hasNextPage, isFetchingNextPage, fetchNextPage]);
  return shown;
}

interface ActivityFeedProps {
  /** One document's activity; every document's when undefined. */
  documentId?: string;
  /** Only this person's. */
  actorId?: string;
  /** Titles link to their documents (default: when the feed spans documents). */
  linkTitles?: boolean;
}

export function ActivityFeed({ documentId, actorId, linkTitles = documentId === undefined }: ActivityFeedProps) {
  const { events: all, status, holder, history } = useActivityFeed(documentId, useShareToken());
  const events = usePersonFilter(all, history, actorId);
  return (
    <div className="activity-feed">
      <p
        className="stream-status"
        data-status={status}
        data-stream-holder={holder ?? undefined}
        title={holder === 'other-tab' ? 'Shared with your other Quire tabs' : undefined}
      >
        <span className="connection-dot" aria-hidden="true" />
        {STATUS_TEXT[status]}
      </p>
      {history.isPending && events.length === 0 && <p className="muted">Loading activity…</p>}
      {history.isError && events.length === 0 && (
        <div className="error-state" role="alert">
          <p>Activity could not be loaded. {errorMessage(history.error)}</p>
          <button type="button" className="button" onClick={() => void history.refetch()}>
            Try again
          </button>
        </div>
      )}
      {!history.isPending && !history.isError && events.length === 0 && (
        <p className="muted">{emptyText(documentId, actorId)}</p>
      )}
      {events.length > 0 && <ActivityList events={events} linkTitles={linkTitles} />}
      {history.hasNextPage && (
        <button
          type="button"
          className="button button-quiet"
          onClick={() => void history.fetchNextPage()}
          disabled={history.isFetchingNextPage}
        >
          {history.isFetchingNextPage ? 'Loading…' : 'Show older activity'}
        </button>
      )}
    </div>
  );
}
