import { describe, expect, test } from 'bun:test';
import {
  connectionLabel,
  connectionReducer,
  initialConnectionState,
  type ConnectionEvent,
  type ConnectionState,
} from './connection.ts';

function run(...events: ConnectionEvent[]): ConnectionState {
  return events.reduce(connectionReducer, initialConnectionState);
}

const connected: ConnectionEvent = { type: 'status', status: 'connected' };
const connecting: ConnectionEvent = { type: 'status', status: 'connecting' };
const disconnected: ConnectionEvent = { type: 'status', status: 'disconnected' };
const synced: ConnectionEvent = { type: 'sync', synced: true };
const edit: ConnectionEvent = { type: 'local-change' };

describe('connectionReducer', () => {
  test('first connection goes connecting → syncing → synced', () => {
    expect(run(connecting).phase).toBe('connecting');
    expect(run(connecting, connected).phase).toBe('syncing');
    const state = run(connecting, connected, synced);
    expect(state.phase).toBe('synced');
    expect(connectionLabel(state)).toBe('Synced');
  });

  test('edits while synced are sent at once', () => {
    expect(run(connected, synced, edit).unsent).toBe(false);
  });

  test('a drop shows offline, then reconnecting, and remembers unsent edits', () => {
    let state = run(connected, synced, disconnected);
    expect(state.phase).toBe('offline');
    state = connectionReducer(state, edit);
    expect(connectionLabel(state)).toBe('Offline · unsent changes');
    state = connectionReducer(state, connecting);
    expect(state.phase).toBe('reconnecting');
    expect(state.unsent).toBe(true);
    state = connectionReducer(state, disconnected);
    expect(state.phase).toBe('offline');
  });

  test('a completed resync clears unsent changes', () => {
    const state = run(connected, synced, disconnected, edit, connecting, connected, synced);
    expect(state.phase).toBe('synced');
    expect(state.unsent).toBe(false);
  });

  test('edits before the first sync count as unsent', () => {
    expect(run(connecting, edit).unsent).toBe(true);
  });

  test('a failed first attempt then retry reads as reconnecting', () => {
    expect(run(connecting, disconnected, connecting).phase).toBe('reconnecting');
  });

  test('4404 is terminal: later provider events change nothing', () => {
    let state = run(connected, synced, { type: 'close', code: 4404 }, disconnected, { type: 'closed', code: 4404 });
    expect(state.phase).toBe('gone');
    state = connectionReducer(state, connecting);
    expect(state.phase).toBe('gone');
    expect(state.lastCloseCode).toBe(4404);
  });

  test('4401 and 4403 are terminal, other codes are not', () => {
    expect(run({ type: 'closed', code: 4401 }).phase).toBe('unauthenticated');
    expect(run({ type: 'closed', code: 4403 }).phase).toBe('forbidden');
    expect(run(connected, synced, { type: 'closed', code: 4429 }).phase).toBe('synced');
  });
});
