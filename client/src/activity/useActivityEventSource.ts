/**
 * The tab's one `EventSource` on the activity stream (browsers allow six connections per host,
 * so every view shares it). It resumes after drops without gaps: the browser sends
 * `Last-Event-ID` on its own retries, and when the browser gives up (an HTTP error, a restart)
 * this hook opens a new stream with `lastEventId` after a backoff.
 */
import { useEffect, useRef } from 'react';
import { ACTIVITY_TYPES, type ActivityEvent } from '../../../shared/activity.ts';
import type { LiveActivityStore } from './liveStore.ts';
import { parseActivityEvent } from './parse.ts';

const STREAM_PATH = '/api/activity/stream';
const MAX_BACKOFF_MS = 15_000;

/** Callbacks for what a view outside the feed cares about (cache invalidation). */
export interface StreamCallbacks {
  /** A new (not replayed) event arrived. */
  onEvent: (event: ActivityEvent) => void;
  /** The stream (re)opened; `resumed` is false when it started with no resume point. */
  onOpen: (resumed: boolean) => void;
  /** The browser gave up on the stream, e.g. because the session ended. */
  onFailed: () => void;
}

/** Opens the stream while mounted and feeds `store`; closes it on unmount. */
export function useActivityEventSource(store: LiveActivityStore, callbacks: StreamCallbacks): void {
  const callbacksRef = useRef(callbacks);
  callbacksRef.current = callbacks;

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;

    const handleMessage = (message: MessageEvent<string>) => {
      const event = parseActivityEvent(message.data);
      if (event !== null && store.add(event)) callbacksRef.current.onEvent(event);
    };

    const open = () => {
      const resumeFrom = store.getSnapshot().lastEventId;
      const url = resumeFrom === null ? STREAM_PATH : `${STREAM_PATH}?lastEventId=${resumeFrom}`;
      const current = new EventSource(url);
      source = current;
      for (const type of ACTIVITY_TYPES) current.addEventListener(type, handleMessage);
      // Servers may also send unnamed events; they are handled the same way.
      current.onmessage = handleMessage;
      current.onopen = () => {
        failures = 0;
        store.setStatus('live');
        callbacksRef.current.onOpen(store.getSnapshot().lastEventId !== null);
      };
      current.onerror = () => {
        if (stopped || source !== current) return;
        store.setStatus('reconnecting');
        if (current.readyState !== EventSource.CLOSED) return; // the browser retries by itself
        current.close();
        failures += 1;
        callbacksRef.current.onFailed();
        const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 5));
        retryTimer = setTimeout(open, delay);
      };
    };

    open();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [store]);
}
