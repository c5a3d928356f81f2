import { describe, expect, test } from 'bun:test';
import type { ActivityEvent } from '../../../shared/activity.ts';
import { LiveActivityStore } from './liveStore.ts';

function created(id: number, documentId = 'd'): ActivityEvent {
  return {
    id,
    type: 'document.created',
    documentId,
    documentTitle: 'T',
    actor: { id: 'u', name: 'Ada', color: '#000000' },
    at: '2025-01-01T00:00:00Z',
    details: {},
  };
}

describe('LiveActivityStore', () => {
  test('notifies on new events only, and tracks the resume point', () => {
    const store = new LiveActivityStore();
    let notified = 0;
    const unsubscribe = store.subscribe(() => notified++);
    expect(store.add(created(1))).toBe(true);
    expect(store.add(created(2))).toBe(true);
    expect(store.add(created(2))).toBe(false);
    expect(notified).toBe(2);
    expect(store.getSnapshot().lastEventId).toBe(2);
    expect(store.getSnapshot().events.map((event) => event.id)).toEqual([2, 1]);
    store.setStatus('live');
    store.setStatus('live');
    expect(notified).toBe(3);
    unsubscribe();
    store.add(created(3));
    expect(notified).toBe(3);
  });

  test("forgetting a document drops its events only, and keeps the resume point", () => {
    const store = new LiveActivityStore();
    store.add(created(1, 'kept'));
    store.add(created(2, 'lost'));
    store.add(created(3, 'kept'));
    let notified = 0;
    store.subscribe(() => notified++);
    store.forgetDocument('lost');
    expect(store.getSnapshot().events.map((event) => event.id)).toEqual([3, 1]);
    expect(store.getSnapshot().lastEventId).toBe(3);
    store.forgetDocument('lost');
    expect(notified).toBe(1);
  });
});
