import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { ActivityEventStream } from './activityStream.ts';
import { LiveActivityStore } from './liveStore.ts';

/** Records the address of each stream the page opens. */
class FakeEventSource {
  static readonly CLOSED = 2;
  static opened: string[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((message: MessageEvent<string>) => void) | null = null;
  constructor(readonly url: string) {
    FakeEventSource.opened.push(url);
  }
  addEventListener(): void {}
  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
}

const created = {
  id: 41,
  type: 'document.created' as const,
  documentId: 'd1',
  documentTitle: 'T',
  actor: { id: 'u', name: 'Ada', color: '#000000' },
  at: '2025-01-01T00:00:00Z',
  details: {},
};
const callbacks = { onEvent: () => {}, onOpen: () => {}, onFailed: () => {} };

describe('the activity stream address', () => {
  beforeEach(() => {
    FakeEventSource.opened = [];
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
  });
  afterEach(() => {
    delete (globalThis as { EventSource?: unknown }).EventSource;
  });

  test("an account's stream asks for everything, resuming after the last event it has", () => {
    const store = new LiveActivityStore();
    new ActivityEventStream(store, callbacks).start();
    store.add(created);
    new ActivityEventStream(store, callbacks).start();
    expect(FakeEventSource.opened).toEqual(['/api/activity/stream', '/api/activity/stream?lastEventId=41']);
  });

  test("a link's stream names its document and carries the link token", () => {
    const store = new LiveActivityStore();
    new ActivityEventStream(store, callbacks, { documentId: 'd1', share: 'tok/en' }).start();
    store.add(created);
    new ActivityEventStream(store, callbacks, { documentId: 'd1', share: 'tok/en' }).start();
    expect(FakeEventSource.opened).toEqual([
      '/api/activity/stream?documentId=d1&share=tok%2Fen',
      '/api/activity/stream?documentId=d1&share=tok%2Fen&lastEventId=41',
    ]);
  });
});
