/**
 * One Server-Sent Events stream of activity: replays stored events after `Last-Event-ID`, then
 * continues live with no gap and no duplicate at the seam, with a `retry:` hint, comment
 * heartbeats, and a bounded buffer after which a reader that stopped reading is dropped.
 */
import type { ActivityEvent } from '../../../shared/activity.ts';
import type { ActivityHub, ActivitySubscriber } from './hub.ts';

export interface StreamOptions {
  documentId: string | null;
  sessionId: string;
  lastEventId: number;
  heartbeatMs: number;
  maxBufferedBytes: number;
  /** Stored events after an id, oldest first. */
  since(afterId: number, limit: number): Promise<ActivityEvent[]>;
  /** Whether the session is still valid (checked at every heartbeat). */
  sessionValid(): Promise<boolean>;
}

const REPLAY_PAGE = 500;
const RETRY_MS = 2000;
const encoder = new TextEncoder();

/** Formats one event as an SSE record. */
export function formatEvent(event: ActivityEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The body of a stream response, wired to the hub. */
export function activityStream(hub: ActivityHub, options: StreamOptions): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let lastSent = options.lastEventId;
  let replaying = true;
  let held: ActivityEvent[] = [];
  let closed = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let unsubscribe = () => {};

  const write = (text: string): boolean => {
    if (closed) return false;
    // desiredSize falls below zero by what is queued beyond the bound: the reader is not reading.
    if ((controller.desiredSize ?? 0) <= 0) return false;
    controller.enqueue(encoder.encode(text));
    return true;
  };
  const end = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    try {
      controller.close();
    } catch {
      // already closed by the client
    }
  };
  const send = (event: ActivityEvent): boolean => {
    if (event.id <= lastSent) return true;
    lastSent = event.id;
    return write(formatEvent(event));
  };

  const subscriber: ActivitySubscriber = {
    documentId: options.documentId,
    sessionId: options.sessionId,
    deliver(event) {
      if (replaying) {
        held.push(event);
        return held.length < 10_000;
      }
      return send(event);
    },
    end,
  };

  const replay = async () => {
    for (;;) {
      const page = await options.since(lastSent, REPLAY_PAGE);
      for (const event of page) if (!send(event)) return end();
      if (page.length < REPLAY_PAGE) break;
    }
    replaying = false;
    const live = held;
    held = [];
    for (const event of live) if (!send(event)) return end();
  };

  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        // Subscribe before reading storage: anything stored meanwhile is held, then sent once.
        unsubscribe = hub.subscribe(subscriber);
        write(`retry: ${RETRY_MS}\n: connected\n\n`);
        heartbeat = setInterval(async () => {
          if (!(await options.sessionValid())) return end();
          if (!write(`: heartbeat ${Date.now()}\n\n`)) end();
        }, options.heartbeatMs);
        replay().catch(() => end());
      },
      cancel() {
        end();
      },
    },
    { highWaterMark: options.maxBufferedBytes, size: (chunk) => chunk?.byteLength ?? 0 },
  );
}
