/** A complete feed: live indicator, states for loading, empty and error, and older pages. */
import { errorMessage } from '../api/problem.ts';
import { useShareToken } from '../sharing/shareToken.tsx';
import { ActivityList } from './ActivityList.tsx';
import type { StreamStatus } from './liveStore.ts';
import { useActivityFeed } from './useActivityFeed.ts';

const STATUS_TEXT: Record<StreamStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

/** Activity for `documentId`, or for every document when it is undefined. */
export function ActivityFeed({ documentId }: { documentId?: string }) {
  const { events, status, holder, history } = useActivityFeed(documentId, useShareToken());
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
        <p className="muted">{documentId === undefined ? 'Nothing has happened yet.' : 'No activity on this document yet.'}</p>
      )}
      {events.length > 0 && <ActivityList events={events} linkTitles={documentId === undefined} />}
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
