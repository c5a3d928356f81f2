/**
 * Owns the tab's live activity: one store, shared through context, fed by the browser's one
 * stream for the signed-in user (held by one tab, relayed to the others); or, for a document
 * opened through a secret link, by a stream of that document alone.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { SHARE_PARAM } from '../../../shared/dto.ts';
import { queryKeys } from '../api/keys.ts';
import { ActivityEventStream, type StreamCallbacks } from './activityStream.ts';
import { refetchHistoryAfterStreamStart } from './historyRefresh.ts';
import { LiveActivityStore, type LiveSnapshot } from './liveStore.ts';
import { useSharedActivityStream } from './useSharedActivityStream.ts';

const StoreContext = createContext<LiveActivityStore | null>(null);

/** What every stream does to the query cache: lists, titles and history stay fresh. */
function useCacheRefresh(): Omit<StreamCallbacks, 'onFailed'> {
  const queryClient = useQueryClient();
  return {
    onEvent: (event: ActivityEvent) => {
      // Another user's create, rename, delete or edit changes what lists and titles show.
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.documents, 'list'] });
      if (event.type === 'document.renamed') {
        void queryClient.invalidateQueries({ queryKey: queryKeys.document(event.documentId) });
      }
      // Each edit burst and restore stores a revision: an open history shows it.
      if (event.type === 'document.edited' || event.type === 'document.restored') {
        void queryClient.invalidateQueries({ queryKey: queryKeys.revisions(event.documentId) });
      }
      if (event.type === 'document.deleted') void queryClient.invalidateQueries({ queryKey: queryKeys.trash });
    },
    onOpen: (resumed) => {
      // A fresh stream starts "now": read history again so nothing between the two is missed.
      if (!resumed) void refetchHistoryAfterStreamStart(queryClient);
    },
    onRevoked: (documentId) => forgetDocumentHistory(queryClient, documentId),
  };
}

/** Drops what the cache holds of a document this reader lost access to: its feed, and its lines in every feed. */
function forgetDocumentHistory(queryClient: ReturnType<typeof useQueryClient>, documentId: string): void {
  queryClient.removeQueries({ queryKey: queryKeys.activityHistory(documentId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.activityHistory(undefined) });
  void queryClient.invalidateQueries({ queryKey: [...queryKeys.documents, 'list'] });
}

/** Streams activity while mounted (mount it only when signed in) and keeps caches fresh. */
export function ActivityStreamProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [store] = useState(() => new LiveActivityStore());
  const refresh = useCacheRefresh();

  useSharedActivityStream(store, userId, {
    ...refresh,
    onFailed: () => {
      // The usual reason a stream is refused is an ended session; find out.
      void queryClient.invalidateQueries({ queryKey: queryKeys.session });
    },
  });

  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/**
 * Streams the activity of one document opened through the secret link `share` while mounted:
 * the account's own stream (if any) does not carry a document the account reaches by link only.
 */
export function DocumentActivityStreamProvider({
  documentId,
  share,
  children,
}: {
  documentId: string;
  share: string;
  children: ReactNode;
}) {
  const [store] = useState(() => new LiveActivityStore());
  const refresh = useCacheRefresh();
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  useEffect(() => {
    const stream = new ActivityEventStream(
      store,
      {
        onEvent: (event) => refreshRef.current.onEvent(event),
        onOpen: (resumed) => refreshRef.current.onOpen(resumed),
        // A refused stream (the link was reset) is told by the document's own socket closing.
        onFailed: () => {},
      },
      { documentId, [SHARE_PARAM]: share },
    );
    stream.start();
    return () => stream.stop();
  }, [store, documentId, share]);

  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

function useStore(): LiveActivityStore {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('live activity needs an ActivityStreamProvider');
  return store;
}

/** The live tail of activity and the stream's status. */
export function useLiveActivity(): LiveSnapshot {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** Drops the live events of `documentId` once `lost` turns true (this reader lost access to it). */
export function useForgetActivityWhen(lost: boolean, documentId: string): void {
  const store = useStore();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!lost) return;
    store.forgetDocument(documentId);
    // The feed of every document lists it too; the server leaves it out from now on.
    forgetDocumentHistory(queryClient, documentId);
  }, [lost, documentId, store, queryClient]);
}
