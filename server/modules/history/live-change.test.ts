/**
 * A burst's change read from the live document: replaying the changes of every burst rebuilds
 * the document exactly (no struct of any client missing), each author's change holds only its
 * own clients' structs, and its deletions name what that author deleted.
 */
import { expect, test } from 'bun:test';
import * as Y from 'yjs';
import { AuthorChanges } from './live-change.ts';

/** A server-side document that notes each peer's transactions, as the capture does. */
function serverDoc() {
  const doc = new Y.Doc({ gc: true });
  let authors = new Map<string, AuthorChanges>();
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    if (typeof transaction.origin !== 'string') return;
    let changes = authors.get(transaction.origin);
    if (!changes) authors.set(transaction.origin, (changes = new AuthorChanges()));
    changes.add(transaction);
  });
  const take = () => {
    const parts = [...authors].map(([author, changes]) => ({ author, update: changes.encode(doc) }));
    authors = new Map();
    return parts;
  };
  return { doc, take };
}

/** A peer whose every transaction reaches the server as one update sent by `name`. */
function peer(name: string, server: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
  doc.on('update', (update: Uint8Array) => Y.applyUpdate(server, update, name));
  return doc;
}

const text = (doc: Y.Doc) => doc.getText('t').toString();

test('the changes of successive bursts add up to the document, each author holding its own structs and deletions', () => {
  const server = serverDoc();
  const alice = peer('alice', server.doc);
  const bob = peer('bob', server.doc);
  const stored: { author: string; update: Uint8Array }[][] = [];

  // Burst 1: Alice types keystroke by keystroke, then takes back what she typed last.
  for (const char of 'Hello world, draft') alice.getText('t').insert(alice.getText('t').length, char);
  alice.getText('t').delete(11, 7);
  stored.push(server.take());
  // Burst 2: Bob (who has Alice's text) deletes "world" and types; Alice types at the end.
  Y.applyUpdate(bob, Y.encodeStateAsUpdate(server.doc));
  bob.getText('t').delete(6, 5);
  bob.getText('t').insert(6, 'there');
  Y.applyUpdate(alice, Y.encodeStateAsUpdate(server.doc));
  for (const char of '!!') alice.getText('t').insert(alice.getText('t').length, char);
  stored.push(server.take());

  expect(text(server.doc)).toBe('Hello there!!');
  const rebuilt = new Y.Doc({ gc: false });
  for (const [index, burst] of stored.entries()) {
    for (const part of burst) Y.applyUpdate(rebuilt, part.update);
    expect(rebuilt.store.pendingStructs).toBeNull();
    expect(text(rebuilt)).toBe(index === 0 ? 'Hello world' : 'Hello there!!');
  }
  expect(Y.encodeStateVector(rebuilt)).toEqual(Y.encodeStateVector(server.doc));

  const second = new Map(stored[1]!.map((part) => [part.author, part.update]));
  expect([...Y.parseUpdateMeta(second.get('bob')!).from.keys()]).toEqual([bob.clientID]);
  expect([...Y.parseUpdateMeta(second.get('alice')!).from.keys()]).toEqual([alice.clientID]);
  // "world" was Alice's text, deleted by Bob: his change's delete set holds it, hers does not.
  const worldId = Y.createID(alice.clientID, 6);
  expect(Y.isDeleted(Y.decodeUpdate(second.get('bob')!).ds, worldId)).toBe(true);
  expect(Y.isDeleted(Y.decodeUpdate(second.get('alice')!).ds, worldId)).toBe(false);
});

test('an author whose transaction only deleted has a change of its deletions alone', () => {
  const server = serverDoc();
  const alice = peer('alice', server.doc);
  alice.getText('t').insert(0, 'keep this, drop this');
  const first = server.take();
  const bob = peer('bob', server.doc);
  bob.getText('t').delete(9, 11);
  const [change] = server.take();

  expect(change!.author).toBe('bob');
  const decoded = Y.decodeUpdate(change!.update);
  expect(decoded.structs).toHaveLength(0);
  const rebuilt = new Y.Doc({ gc: false });
  for (const part of [...first, change!]) Y.applyUpdate(rebuilt, part.update);
  expect(text(rebuilt)).toBe('keep this');
});

test("a change's structs are the ones Yjs itself writes from the author's first clock, the first one cut mid-item", () => {
  const server = serverDoc();
  const alice = peer('alice', server.doc);
  for (const char of 'Hello') alice.getText('t').insert(alice.getText('t').length, char);
  const [first] = server.take();
  // Typed on at the end: Yjs joins these keystrokes to the item holding "Hello", so the change starts inside it.
  for (const char of ' world') alice.getText('t').insert(alice.getText('t').length, char);
  const [second] = server.take();

  const fromYjs = Y.encodeStateAsUpdate(server.doc, Y.encodeStateVector(new Map([[alice.clientID, 5]])));
  expect(Y.decodeUpdate(second!.update).structs).toEqual(Y.decodeUpdate(fromYjs).structs);
  const rebuilt = new Y.Doc();
  Y.applyUpdate(rebuilt, first!.update);
  Y.applyUpdate(rebuilt, second!.update);
  expect(text(rebuilt)).toBe('Hello world');
});
