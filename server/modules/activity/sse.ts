/**
 * One Server-Sent Events stream of activity: replays stored events after `Last-Event-ID`, then
 * continues live with no gap and no duplicate at the seam, with a `retry:` hint, comment
 * heartbeats, and a bounded buffer after which a reader that stopped reading is dropped.
 */
import { ACCESS_REVOKED_EVENT, type AccessRevokedNotice, type ActivityEvent } from '../../../shared/activity.ts';
import type { AccessSubject } from '../../policy/document-access.ts';
import type { ActivityHub, ActivitySubscriber } from './hub.ts';

export interface StreamOptions {
  documentId: string | null;
  sessionId: string;
  userId: string;
  /** Who reads, to the access policy: live events of documents it may not read never reach it. */
  subject: AccessSubject;
  /** Replay stored events after this id first; null starts live, from now. */
  lastEventId: number | null;
  heartbeatMs: number;
  maxBufferedBytes: number;
  /** Stored events after an id, oldest first. */
  since(afterId: number, limit: number): Promise<ActivityEvent[]>;
  /** Whether the reader may still read (its session live, its link still valid), checked at every heartbeat. */
  stillAllowed(): Promise<boolean>;
}

const REPLAY_PAGE = 500;
/** Live events held while a replay catches up; beyond this the reader is too far behind. */
const MAX_HELD = 10_000;
const RETRY_MS = 2000;
const encoder = new TextEncoder();

/** Formats one event as an SSE record. */
export function formatEvent(event: ActivityEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * The body of a stream response, wired to the hub.
 *
 * Bun pulls from the body only while the socket accepts writes, so `desiredSize` measures what
 * this reader has not taken: up to `maxBufferedBytes` here, beyond the kernel's socket buffers.
 * Replay waits for room (a reader catching up is reading); a live event that finds no room
 * drops the reader, as does a full buffer that nobody pulled from for a whole heartbeat.
 */
export function activityStream(hub: ActivityHub, options: StreamOptions): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let lastSent = options.lastEventId ?? 0;
  let catchingUp = options.lastEventId !== null;
  let held: ActivityEvent[] = [];
  let closed = false;
  let pulls = 0;
  let pullsAtLastHeartbeat = 0;
  let wake: (() => void) | null = null;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let unsubscribe = () => {};

  const hasRoom = () => (controller.desiredSize ?? 0) > 0;
  /** Resolves once the reader has taken enough to make room (or the stream ended). */
  const room = (): Promise<void> => (closed || hasRoom() ? Promise.resolve() : new Promise((resolve) => (wake = resolve)));
  const send = (event: ActivityEvent) => {
    if (event.id <= lastSent) return; // already sent during replay
    lastSent = event.id;
    controller.enqueue(encoder.encode(formatEvent(event)));
  };

  /** Ends the stream: `close` lets the reader take what is queued; `drop` aborts the response. */
  const finish = (how: 'close' | 'drop') => {
    if (closed) return;
    closed = true;
    held = [];
    clearInterval(heartbeat);
    unsubscribe();
    wake?.();
    try {
      if (how === 'close') controller.close();
      else controller.error(new Error('activity reader fell behind'));
    } catch {
      // already closed by the client
    }
  };

  const subscriber: ActivitySubscriber = {
    documentId: options.documentId,
    sessionId: options.sessionId,
    userId: options.userId,
    subject: options.subject,
    seen: new Set(),
    revoked(documentId) {
      if (closed) return false;
      if (!hasRoom()) return false;
      const notice: AccessRevokedNotice = { documentId };
      controller.enqueue(encoder.encode(`event: ${ACCESS_REVOKED_EVENT}\ndata: ${JSON.stringify(notice)}\n\n`));
      return true;
    },
    deliver(event) {
      if (closed) return false;
      if (catchingUp) {
        held.push(event);
        if (held.length <= MAX_HELD) return true;
      } else if (hasRoom()) {
        send(event);
        return true;
      }
      finish('drop');
      return false;
    },
    end: () => finish('close'),
  };

  const catchUp = async () => {
    for (;;) {
      const page = await options.since(lastSent, REPLAY_PAGE);
      for (const event of page) {
        await room();
        if (closed) return;
        send(event);
      }
      if (page.length < REPLAY_PAGE) break;
    }
    // Everything stored after we subscribed was held; send it, then go live.
    while (held.length > 0) {
      await room();
      if (closed) return;
      send(held.shift() as ActivityEvent);
    }
    catchingUp = false;
  };

  const beat = async () => {
    let valid = false;
    try {
      valid = await options.stillAllowed();
    } catch {
      valid = true; // storage hiccup: keep the stream, ask again next time
    }
    if (!valid) return finish('close');
    if (closed) return;
    if (hasRoom()) controller.enqueue(encoder.encode(`: heartbeat\n\n`));
    else if (pulls === pullsAtLastHeartbeat) return finish('drop'); // full and untouched for a whole interval
    pullsAtLastHeartbeat = pulls;
  };

  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        // Subscribe before reading storage: anything stored meanwhile is held, then sent once.
        unsubscribe = hub.subscribe(subscriber);
        controller.enqueue(encoder.encode(`retry: ${RETRY_MS}\n: connected\n\n`));
        heartbeat = setInterval(() => void beat(), options.heartbeatMs);
        if (catchingUp) catchUp().catch(() => finish('drop'));
      },
      pull() {
        pulls++;
        const resume = wake;
        wake = null;
        resume?.();
      },
      cancel() {
        finish('close');
      },
    },
    { highWaterMark: options.maxBufferedBytes, size: (chunk) => chunk?.byteLength ?? 0 },
  );
}
