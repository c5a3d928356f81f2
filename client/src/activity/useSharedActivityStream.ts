/** Keeps `store` fed from the browser's one activity stream for `userId` while mounted. */
import { useEffect, useRef } from 'react';
import { ActivityEventStream, type StreamCallbacks } from './activityStream.ts';
import type { LiveActivityStore } from './liveStore.ts';
import { browserLockRequester, browserRelayPort, canShareStream, SharedActivityStream, type StreamLike } from './sharedStream.ts';

export function useSharedActivityStream(store: LiveActivityStore, userId: string, callbacks: StreamCallbacks): void {
  const callbacksRef = useRef(callbacks);
  callbacksRef.current = callbacks;

  useEffect(() => {
    const latest: StreamCallbacks = {
      onEvent: (event) => callbacksRef.current.onEvent(event),
      onOpen: (resumed) => callbacksRef.current.onOpen(resumed),
      onFailed: () => callbacksRef.current.onFailed(),
    };
    const stream: StreamLike = canShareStream()
      ? new SharedActivityStream({
          userId,
          store,
          callbacks: latest,
          port: browserRelayPort(userId),
          requestLock: browserLockRequester,
          createStream: (target, streamCallbacks) => new ActivityEventStream(target, streamCallbacks),
        })
      : new ActivityEventStream(store, latest);
    stream.start();
    return () => stream.stop();
  }, [store, userId]);
}
