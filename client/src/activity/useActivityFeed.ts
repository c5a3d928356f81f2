/** One feed for a view: stored history pages plus the live tail, deduplicated by id. */
import { useMemo } from 'react';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { useActivityHistory } from '../api/activity.ts';
import type { ShareToken } from '../api/endpoints.ts';
import { useLiveActivity } from './ActivityStreamProvider.tsx';
import type { StreamHolder, StreamStatus } from './liveStore.ts';
import { forDocument, mergeActivity } from './merge.ts';

/** A feed ready to render. */
export interface ActivityFeed {
  events: ActivityEvent[];
  status: StreamStatus;
  /** Which tab holds the browser's stream. */
  holder: StreamHolder;
  history: ReturnType<typeof useActivityHistory>;
}

/** Activity for one document (opened through the secret link `share`, if any), or for all documents when `documentId` is undefined. */
export function useActivityFeed(documentId: string | undefined, share?: ShareToken): ActivityFeed {
  const history = useActivityHistory(documentId, share);
  const live = useLiveActivity();
  const pages = history.data?.pages;
  const events = useMemo(() => {
    const stored = pages?.flatMap((page) => page.items) ?? [];
    return mergeActivity(forDocument(live.events, documentId), stored);
  }, [pages, live.events, documentId]);
  return { events, status: live.status, holder: live.holder, history };
}
