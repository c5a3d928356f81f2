import { describe, expect, test } from 'bun:test';
import type { ActivityEvent } from '../../../shared/activity.ts';
import type { StreamCallbacks } from './activityStream.ts';
import { LiveActivityStore, type StreamStatus } from './liveStore.ts';
import { SharedActivityStream, type LockRequester, type RelayPort, type StreamFactory } from './sharedStream.ts';
import { parseRelayMessage, type RelayMessage } from './tabRelay.ts';
import { revokedDocument } from './activityStream.ts';

function created(id: number): ActivityEvent {
  return {
    id,
    type: 'document.created',
    documentId: 'd',
    documentTitle: 'T',
    actor: { id: 'u', name: 'Ada', color: '#000000' },
    at: '2025-01-01T00:00:00Z',
    details: {},
  };
}

/** A BroadcastChannel between fake tabs: delivers to every other port, never to the sender. */
class FakeChannel {
  private readonly ports = new Set<{ handler: ((data: unknown) => void) | null }>();
  port(): RelayPort {
    const entry: { handler: ((data: unknown) => void) | null } = { handler: null };
    this.ports.add(entry);
    return {
      post: (message: RelayMessage) => {
        // Structured clone, as the browser does.
        const copy: unknown = structuredClone(message);
        for (const other of this.ports) if (other !== entry) other.handler?.(copy);
      },
      listen: (handler) => (entry.handler = handler),
      close: () => this.ports.delete(entry),
    };
  }
}

/** An exclusive lock granted in request order, as Web Locks are. */
function fakeLocks(): LockRequester {
  let tail = Promise.resolve();
  return (_name, signal, whileHeld) => {
    const previous = tail;
    let done: () => void = () => {};
    tail = new Promise((resolve) => (done = resolve));
    return previous.then(async () => {
      try {
        if (!signal.aborted) await whileHeld();
      } finally {
        done();
      }
    });
  };
}

/** Streams that record where they resumed and let the test push events into them. */
class FakeServer {
  readonly opened: (number | null)[] = [];
  private live: { store: LiveActivityStore; callbacks: Parameters<StreamFactory>[1] } | null = null;
  readonly factory: StreamFactory = (store, callbacks) => ({
    start: () => {
      this.opened.push(store.getSnapshot().lastEventId);
      this.live = { store, callbacks };
      callbacks.onStatus('live' satisfies StreamStatus);
      store.setStatus('live');
      callbacks.onOpen(store.getSnapshot().lastEventId !== null);
    },
    stop: () => {
      this.live = null;
    },
  });
  emit(event: ActivityEvent): void {
    if (this.live && this.live.store.add(event)) this.live.callbacks.onEvent(event);
  }
  get streams(): number {
    return this.live === null ? 0 : 1;
  }
}

function tab(channel: FakeChannel, locks: LockRequester, server: FakeServer) {
  const store = new LiveActivityStore();
  const seen: number[] = [];
  const callbacks: StreamCallbacks = { onEvent: (event) => seen.push(event.id), onOpen: () => {}, onFailed: () => {} };
  const shared = new SharedActivityStream({ userId: 'u', store, callbacks, port: channel.port(), requestLock: locks, createStream: server.factory });
  shared.start();
  return { store, seen, shared };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SharedActivityStream', () => {
  test('one tab holds the stream and the others get every event once; a takeover resumes after the last id', async () => {
    const channel = new FakeChannel();
    const locks = fakeLocks();
    const server = new FakeServer();
    const first = tab(channel, locks, server);
    const second = tab(channel, locks, server);
    const third = tab(channel, locks, server);
    await settle();
    expect(server.opened).toEqual([null]);
    expect(first.store.getSnapshot().holder).toBe('this-tab');

    server.emit(created(1));
    server.emit(created(2));
    server.emit(created(2));
    await settle();
    for (const each of [first, second, third]) expect(each.seen).toEqual([1, 2]);
    expect(second.store.getSnapshot().holder).toBe('other-tab');
    expect(second.store.getSnapshot().status).toBe('live');

    first.shared.stop();
    await settle();
    expect(server.opened).toEqual([null, 2]);
    expect(server.streams).toBe(1);
    server.emit(created(3));
    await settle();
    expect(second.seen).toEqual([1, 2, 3]);
    expect(third.seen).toEqual([1, 2, 3]);
    expect(second.store.getSnapshot().holder).toBe('this-tab');
  });

  test('a tab that opens later learns the resume point from the holder', async () => {
    const channel = new FakeChannel();
    const locks = fakeLocks();
    const server = new FakeServer();
    const first = tab(channel, locks, server);
    await settle();
    server.emit(created(7));
    const late = tab(channel, locks, server);
    await settle();
    expect(late.seen).toEqual([]);
    expect(late.store.getSnapshot().lastEventId).toBe(7);
    first.shared.stop();
    await settle();
    expect(server.opened).toEqual([null, 7]);
  });
});

describe('parseRelayMessage', () => {
  test('accepts the relay messages and nothing else', () => {
    expect(parseRelayMessage({ type: 'event', event: created(1) })).toEqual({ type: 'event', event: created(1) });
    expect(parseRelayMessage({ type: 'status', status: 'live', lastEventId: 3 })).toEqual({ type: 'status', status: 'live', lastEventId: 3 });
    expect(parseRelayMessage({ type: 'status', status: 'sleeping', lastEventId: 3 })).toBeNull();
    expect(parseRelayMessage({ type: 'event', event: { id: 'x' } })).toBeNull();
    expect(parseRelayMessage('hello')).toBeNull();
    expect(parseRelayMessage({ type: 'hello' })).toEqual({ type: 'hello' });
    expect(parseRelayMessage({ type: 'revoked', documentId: 'doc-1' })).toEqual({ type: 'revoked', documentId: 'doc-1' });
    expect(parseRelayMessage({ type: 'revoked', documentId: 7 })).toBeNull();
    expect(parseRelayMessage({ type: 'revoked', documentId: 'x'.repeat(65) })).toBeNull();
  });

  test('revokedDocument reads the notice of a lost document, and nothing else', () => {
    expect(revokedDocument('{"documentId":"doc-1"}')).toBe('doc-1');
    expect(revokedDocument('{"documentId":""}')).toBeNull();
    expect(revokedDocument('not json')).toBeNull();
  });
});
