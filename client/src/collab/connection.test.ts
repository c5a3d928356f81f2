import { describe, expect, test } from 'bun:test';
import {
  connectionLabel,
  connectionReducer,
  hasUnsaved,
  initialConnectionState,
  isSaved,
  unsentCount,
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
const edit = (at = Date.now()): ConnectionEvent => ({ type: 'local-change', at });
const saved = (edits: number): ConnectionEvent => ({ type: 'saved', edits });
const refused: ConnectionEvent = { type: 'close', code: 1006 };

describe('connectionReducer', () => {
  test('first connection goes connecting → syncing → saved once the first mark is acknowledged', () => {
    expect(connectionLabel(run(connecting))).toBe('Connecting…');
    expect(connectionLabel(run(connecting, connected))).toBe('Syncing…');
    const beforeAck = run(connecting, connected, synced);
    expect(beforeAck.phase).toBe('synced');
    expect(isSaved(beforeAck)).toBe(false);
    expect(connectionLabel(beforeAck)).toBe('Syncing…');
    const state = connectionReducer(beforeAck, saved(0));
    expect(isSaved(state)).toBe(true);
    expect(connectionLabel(state)).toBe('Saved');
  });

  test('an edit is "Saving…" until a mark sent after it is acknowledged', () => {
    let state = run(connected, synced, saved(0), edit(), edit());
    expect(connectionLabel(state)).toBe('Saving… (2 unsent changes)');
    // The acknowledgement of a mark sent after the first edit only covers that one.
    state = connectionReducer(state, saved(1));
    expect(connectionLabel(state)).toBe('Saving… (1 unsent change)');
    state = connectionReducer(state, saved(2));
    expect(connectionLabel(state)).toBe('Saved');
    expect(hasUnsaved(state)).toBe(false);
  });

  test('a save that takes long shows how long it has waited', () => {
    const state = run(connected, synced, saved(0), edit(1_000));
    expect(connectionLabel(state, 5_000)).toBe('Saving… (1 unsent change)');
    expect(connectionLabel(state, 13_500)).toBe('Saving… (1 unsent change, waiting 12 s)');
  });

  test('a drop shows offline with the changes kept on this device', () => {
    let state = run(connected, synced, saved(0), disconnected);
    expect(connectionLabel(state)).toBe('Offline');
    state = connectionReducer(state, edit());
    state = connectionReducer(state, edit());
    state = connectionReducer(state, edit());
    expect(connectionLabel(state)).toBe('Offline – 3 changes kept on this device');
    state = connectionReducer(state, connecting);
    expect(state.phase).toBe('reconnecting');
    expect(connectionLabel(state)).toBe('Offline – 3 changes kept on this device');
    state = connectionReducer(state, refused);
    expect(connectionLabel(state)).toBe('Offline – 3 changes kept on this device');
  });

  test('a reconnect is saved only when the mark after its sync is acknowledged', () => {
    let state = run(connected, synced, saved(0), disconnected, edit(), connecting, connected, synced);
    expect(connectionLabel(state)).toBe('Saving… (1 unsent change)');
    state = connectionReducer(state, saved(1));
    expect(connectionLabel(state)).toBe('Saved');
    expect(unsentCount(state)).toBe(0);
  });

  test('the sync alone does not confirm a reconnect with nothing to send', () => {
    const state = run(connected, synced, saved(0), disconnected, connecting, connected, synced);
    expect(isSaved(state)).toBe(false);
    expect(isSaved(connectionReducer(state, saved(0)))).toBe(true);
  });

  test('unsent edits restored from the device count until acknowledged', () => {
    let state = run({ type: 'restored', unsent: 4, at: Date.now() }, connecting, refused);
    expect(connectionLabel(state)).toBe('Offline – 4 changes kept on this device');
    state = connectionReducer(state, edit());
    expect(connectionLabel(state)).toBe('Offline – 5 changes kept on this device');
    state = [connecting, connected, synced, saved(5)].reduce(connectionReducer, state);
    expect(connectionLabel(state)).toBe('Saved');
  });

  test('a first attempt that never opens reads as offline, and its retry too', () => {
    expect(connectionLabel(run(connecting, refused))).toBe('Offline');
    expect(run(connecting, refused, connecting).phase).toBe('reconnecting');
  });

  test('the browser going offline shows at once, and online waits for the server', () => {
    let state = run(connected, synced, saved(0), { type: 'network', online: false });
    expect(connectionLabel(state)).toBe('Offline');
    state = connectionReducer(state, { type: 'network', online: true });
    expect(isSaved(state)).toBe(false);
    state = [connecting, connected, synced, saved(0)].reduce(connectionReducer, state);
    expect(connectionLabel(state)).toBe('Saved');
  });

  test('4404 is terminal: later provider events change nothing, but edits are still counted', () => {
    let state = run(connected, synced, edit(), { type: 'close', code: 4404 }, disconnected, { type: 'closed', code: 4404 });
    expect(state.phase).toBe('gone');
    state = connectionReducer(state, connecting);
    state = connectionReducer(state, saved(1));
    expect(state.phase).toBe('gone');
    expect(state.lastCloseCode).toBe(4404);
    expect(unsentCount(state)).toBe(1);
  });

  test('4401 and 4403 are terminal, other codes are not', () => {
    expect(run({ type: 'closed', code: 4401 }).phase).toBe('unauthenticated');
    expect(run({ type: 'closed', code: 4403 }).phase).toBe('forbidden');
    expect(run(connected, synced, { type: 'closed', code: 4429 }).phase).toBe('synced');
  });
});
