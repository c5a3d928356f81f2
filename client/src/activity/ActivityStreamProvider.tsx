/**
 * Owns the tab's live activity: one store, shared through context, fed by the browser's one
 * stream for the signed-in user (held by one tab, relayed to the others).
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { queryKeys } from '../api/keys.ts';
import { LiveActivityStore, type LiveSnapshot } from './liveStore.ts';
import { useSharedActivityStream } from './useSharedActivityStream.ts';

const StoreContext = createContext<LiveActivityStore | null>(null);

/** Streams activity while mounted (mount it only when signed in) and keeps caches fresh. */
export function ActivityStreamProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [store] = useState(() => new LiveActivityStore());

  useSharedActivityStream(store, userId, {
    onEvent: (event: ActivityEvent) => {
      // Another user's create, rename, delete or edit changes what lists and titles show.
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.documents, 'list'] });
      if (event.type === 'document.renamed') {
        void queryClient.invalidateQueries({ queryKey: queryKeys.document(event.documentId) });
      }
    },
    onOpen: (resumed) => {
      // A fresh stream starts "now": refetch history so nothing between the two is missed.
      if (!resumed) void queryClient.invalidateQueries({ queryKey: queryKeys.activity });
    },
    onFailed: () => {
      // The usual reason a stream is refused is an ended session; find out.
      void queryClient.invalidateQueries({ queryKey: queryKeys.session });
    },
  });

  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** The live tail of activity and the stream's status. */
export function useLiveActivity(): LiveSnapshot {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('useLiveActivity needs an ActivityStreamProvider');
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
