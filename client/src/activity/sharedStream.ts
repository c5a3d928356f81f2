/**
 * One activity stream per browser and user, shared by all tabs. Browsers allow six HTTP/1.1
 * connections per host, and a stream per tab would use them all up by the sixth tab. The tab
 * that holds a Web Lock opens the stream and relays what it reads over a BroadcastChannel; the
 * others wait for the lock. When the holder closes, the lock passes to another tab, which opens
 * the stream resuming after the last event id any tab has seen, so nothing is missed or doubled.
 */
import type { ActivityEvent } from '../../../shared/activity.ts';
import type { StreamCallbacks } from './activityStream.ts';
import type { LiveActivityStore, StreamStatus } from './liveStore.ts';
import { parseRelayMessage, relayChannelName, streamLockName, type RelayMessage } from './tabRelay.ts';

/** A stream that can be started and stopped (an ActivityEventStream, or a fake in tests). */
export interface StreamLike {
  start(): void;
  stop(): void;
}

export type StreamFactory = (
  store: LiveActivityStore,
  callbacks: StreamCallbacks & { onStatus: (status: StreamStatus) => void },
) => StreamLike;

/** The tabs' shared channel. */
export interface RelayPort {
  post(message: RelayMessage): void;
  listen(handler: (data: unknown) => void): void;
  close(): void;
}

/** Runs `whileHeld` once this tab holds the lock `name`; gives up waiting when `signal` aborts. */
export type LockRequester = (name: string, signal: AbortSignal, whileHeld: () => Promise<void>) => Promise<unknown>;

/** Everything the shared stream needs, injectable for tests. */
export interface SharedStreamOptions {
  userId: string;
  store: LiveActivityStore;
  callbacks: StreamCallbacks;
  port: RelayPort;
  requestLock: LockRequester;
  createStream: StreamFactory;
}

/** One tab's part in the shared stream: holder or listener. `start` once, `stop` once. */
export class SharedActivityStream {
  private holding = false;
  private readonly abort = new AbortController();
  private release: () => void = () => {};

  constructor(private readonly options: SharedStreamOptions) {}

  start(): void {
    const { port, requestLock, userId } = this.options;
    port.listen((data) => this.receive(data));
    const released = new Promise<void>((resolve) => (this.release = resolve));
    requestLock(streamLockName(userId), this.abort.signal, async () => {
      if (this.abort.signal.aborted) return;
      await this.hold(released);
    }).catch(() => {
      // Aborted while waiting (this tab closed or signed out): nothing to undo.
    });
    port.post({ type: 'hello' });
  }

  stop(): void {
    this.abort.abort();
    this.release();
    this.options.port.close();
  }

  /** This tab got the lock: open the stream and relay it until `released`. */
  private async hold(released: Promise<void>): Promise<void> {
    const { store, callbacks, port, createStream } = this.options;
    this.holding = true;
    store.setHolder('this-tab');
    const stream = createStream(store, {
      onEvent: (event: ActivityEvent) => {
        port.post({ type: 'event', event });
        callbacks.onEvent(event);
      },
      onOpen: (resumed) => {
        port.post({ type: 'open', resumed });
        callbacks.onOpen(resumed);
      },
      onFailed: () => {
        port.post({ type: 'failed' });
        callbacks.onFailed();
      },
      onRevoked: (documentId) => {
        port.post({ type: 'revoked', documentId });
        callbacks.onRevoked?.(documentId);
      },
      onStatus: (status) => port.post({ type: 'status', status, lastEventId: store.getSnapshot().lastEventId }),
    });
    stream.start();
    try {
      await released;
    } finally {
      stream.stop();
      this.holding = false;
    }
  }

  private receive(data: unknown): void {
    const message = parseRelayMessage(data);
    if (message === null) return;
    const { store, callbacks, port } = this.options;
    if (message.type === 'hello') {
      if (this.holding) {
        const { status, lastEventId } = store.getSnapshot();
        port.post({ type: 'status', status, lastEventId });
      }
      return;
    }
    // Only the holder posts the rest; a holder never hears its own posts.
    if (this.holding) return;
    store.setHolder('other-tab');
    switch (message.type) {
      case 'event':
        if (store.add(message.event)) callbacks.onEvent(message.event);
        break;
      case 'status':
        store.noteResumePoint(message.lastEventId);
        store.setStatus(message.status);
        break;
      case 'open':
        callbacks.onOpen(message.resumed);
        break;
      case 'failed':
        callbacks.onFailed();
        break;
      case 'revoked':
        store.forgetDocument(message.documentId);
        callbacks.onRevoked?.(message.documentId);
        break;
    }
  }
}

/** The browser's BroadcastChannel for `userId`'s tabs. */
export function browserRelayPort(userId: string): RelayPort {
  const channel = new BroadcastChannel(relayChannelName(userId));
  return {
    post: (message) => {
      try {
        channel.postMessage(message);
      } catch {
        // Closed while this tab was leaving: the other tabs take over the stream anyway.
      }
    },
    listen: (handler) => channel.addEventListener('message', (event: MessageEvent<unknown>) => handler(event.data)),
    close: () => channel.close(),
  };
}

/** Web Locks, exclusive, waiting in line. */
export const browserLockRequester: LockRequester = (name, signal, whileHeld) =>
  navigator.locks.request(name, { signal }, () => whileHeld());

/** Whether this browser can share one stream between tabs (else each tab opens its own). */
export function canShareStream(): boolean {
  return typeof BroadcastChannel !== 'undefined' && typeof navigator !== 'undefined' && navigator.locks !== undefined;
}
