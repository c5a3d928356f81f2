/**
 * A document held as bytes answers what a Y.Doc would: the same state vector, the same content
 * for a joiner, and whether a peer's update adds anything (a new struct or a new deletion).
 */
import { expect, test } from 'bun:test';
import * as Y from 'yjs';
import { StoredState } from './stored-state.ts';

/** A document typed in three updates (with a deletion), and those updates. */
function typed(): { doc: Y.Doc; rows: Uint8Array[] } {
  const doc = new Y.Doc();
  const rows: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => rows.push(update));
  const text = doc.getText('t');
  text.insert(0, 'hello world');
  text.delete(0, 6);
  text.insert(5, '!');
  return { doc, rows };
}

const textOf = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
};

test('rows merged into one state give the state vector and the content a Y.Doc of them would', () => {
  const { doc, rows } = typed();
  const state = new StoredState(rows);
  expect(state.stateVector).toEqual(Y.encodeStateVector(doc));
  expect(textOf(state.diff())).toBe('world!');
  // A peer that has the first update gets the rest from the difference.
  const peer = new Y.Doc();
  Y.applyUpdate(peer, rows[0]!);
  Y.applyUpdate(peer, state.diff(Y.encodeStateVector(peer)));
  expect(peer.getText('t').toString()).toBe('world!');
});

test('an empty log is an empty document', () => {
  const state = new StoredState([]);
  expect(textOf(state.diff())).toBe('');
  expect(Y.decodeStateVector(state.stateVector).size).toBe(0);
});

test('a reconnecting peer that holds the same state adds nothing; one new struct or deletion does', () => {
  const { doc, rows } = typed();
  const state = new StoredState(rows);
  // What a stock client sends back after the server's step 1: structs it has beyond, and all its deletions.
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  expect(state.contains(Y.encodeStateAsUpdate(peer, state.stateVector))).toBe(true);
  expect(state.contains(Y.encodeStateAsUpdate(peer))).toBe(true);
  expect(state.contains(new Uint8Array([0, 0]))).toBe(true);
  expect(state.contains(rows[1]!)).toBe(true);

  const deleting = new Y.Doc();
  Y.applyUpdate(deleting, Y.encodeStateAsUpdate(doc));
  deleting.getText('t').delete(0, 1);
  expect(state.contains(Y.encodeStateAsUpdate(deleting, state.stateVector))).toBe(false);

  const inserting = new Y.Doc();
  Y.applyUpdate(inserting, Y.encodeStateAsUpdate(doc));
  inserting.getText('t').insert(0, 'x');
  expect(state.contains(Y.encodeStateAsUpdate(inserting, state.stateVector))).toBe(false);
});

test('malformed bytes are never taken as already held', () => {
  const state = new StoredState(typed().rows);
  expect(state.contains(new Uint8Array([1, 2, 3]))).toBe(false);
  expect(state.contains(new Uint8Array([]))).toBe(false);
});
