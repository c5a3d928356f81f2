/**
 * The allocation-free state vector reader agrees with Yjs's own on every kind of content and
 * on the shapes stored logs take: snapshots, merged rows, and merges with gaps (Skip structs).
 */
import { expect, test } from 'bun:test';
import * as Y from 'yjs';
import { mayCreateTypes, stateVectorOfUpdate } from './update-reader.ts';

const decoded = (stateVector: Uint8Array) => Object.fromEntries(Y.decodeStateVector(stateVector));
const expectSameAsYjs = (update: Uint8Array) => expect(decoded(stateVectorOfUpdate(update))).toEqual(decoded(Y.encodeStateVectorFromUpdate(update)));

/** A document with every content type Yjs writes, edited by two clients; returns its updates. */
function everyContent(): { doc: Y.Doc; updates: Uint8Array[] } {
  const updates: Uint8Array[] = [];
  const doc = new Y.Doc();
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const fragment = doc.getXmlFragment('default');
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.setAttribute('align', 'left');
  const text = new Y.XmlText();
  // A hook is an XML node too; Yjs's types leave it out of what a fragment may hold.
  fragment.insert(0, [paragraph, new Y.XmlHook('hook') as unknown as Y.XmlElement]);
  paragraph.insert(0, [text]);
  text.insert(0, 'naïve 😀 text, 日本語', { bold: true });
  text.insertEmbed(3, { image: 'x.png' });
  text.format(0, 4, { italic: true });
  text.delete(1, 2);
  const map = doc.getMap('meta');
  map.set('numbers', [1, -7, 2 ** 40, 0.5, -1e300, 123456789012345]);
  map.set('nested', { a: null, b: true, c: false, d: 'ü', e: [undefined, { f: new Uint8Array([1, 2]) }] });
  map.set('bytes', new Uint8Array([9, 8, 7]));
  map.set('sub', new Y.Doc({ guid: 'sub-doc' }));
  map.set('big', 2n ** 62n);
  map.delete('numbers');
  doc.getArray('list').insert(0, [1, 'two', { three: 3 }]);
  const peer = new Y.Doc();
  peer.on('update', (update: Uint8Array) => updates.push(update));
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  peer.getText('plain').insert(0, 'from a second client');
  peer.getXmlFragment('default').delete(0, 1);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)));
  return { doc, updates };
}

test('agrees with Yjs on every content type, in single updates, snapshots and merges', () => {
  const { doc, updates } = everyContent();
  for (const update of updates) expectSameAsYjs(update);
  expectSameAsYjs(Y.encodeStateAsUpdate(doc));
  expectSameAsYjs(Y.mergeUpdates(updates));
  expect(decoded(stateVectorOfUpdate(Y.encodeStateAsUpdate(doc)))).toEqual(decoded(Y.encodeStateVector(doc)));
});

test('a merge with a gap counts each client only up to the gap, as Yjs does', () => {
  const { updates } = everyContent();
  expectSameAsYjs(Y.mergeUpdates(updates.filter((_, index) => index % 3 !== 1)));
  expectSameAsYjs(Y.mergeUpdates(updates.slice(2)));
  // One client's first and third edits, without the second: a Skip in between.
  const doc = new Y.Doc();
  const typed: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => typed.push(update));
  for (const word of ['one ', 'two ', 'three']) doc.getText('t').insert(doc.getText('t').length, word);
  const gapped = Y.mergeUpdates([typed[0]!, typed[2]!]);
  expectSameAsYjs(gapped);
  expect(Y.decodeStateVector(stateVectorOfUpdate(gapped)).get(doc.clientID)).toBe(4);
});

test('an empty update has an empty state vector; bytes it cannot read go to Yjs, which throws', () => {
  expect(decoded(stateVectorOfUpdate(new Uint8Array([0, 0])))).toEqual({});
  expect(() => stateVectorOfUpdate(new Uint8Array([1, 1, 5, 0, 0xff]))).toThrow();
});

test('typing, formatting and deleting create no shared type; a new paragraph, a map or unreadable bytes may', () => {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const paragraph = new Y.XmlElement('paragraph');
  doc.getXmlFragment('default').insert(0, [paragraph]);
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  const created = updates.length;
  text.insert(0, 'typed 😀');
  text.format(0, 5, { bold: true });
  text.insertEmbed(2, { image: 'x.png' });
  text.delete(0, 2);
  paragraph.setAttribute('level', '2');
  const plain = updates.slice(created);
  expect(updates.slice(0, created).every(mayCreateTypes)).toBe(true);
  expect(plain.map(mayCreateTypes)).toEqual(plain.map(() => false));
  doc.getMap('meta').set('nested', new Y.Map());
  expect(mayCreateTypes(updates.at(-1)!)).toBe(true);
  expect(mayCreateTypes(new Uint8Array([1, 1, 5, 0, 0xff]))).toBe(true);
});

test('a shared type after text, or in a second client\'s part of a merge, is found; a delete set cut short is never passed', () => {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  doc.transact(() => {
    text.insert(0, 'typed first');
    doc.getMap('m').set('block', new Y.XmlElement('paragraph'));
  });
  expect(mayCreateTypes(updates[0]!)).toBe(true);

  const typist = new Y.Doc();
  typist.getText('t').insert(0, 'only typing');
  const typing = Y.encodeStateAsUpdate(typist);
  expect(mayCreateTypes(typing)).toBe(false);
  expect(mayCreateTypes(Y.mergeUpdates([typing, updates[0]!]))).toBe(true);
  // The last byte is the delete set's client count: cut, the bytes no longer read as an update.
  expect(mayCreateTypes(typing.slice(0, -1))).toBe(true);
  typist.getText('t').delete(0, 5);
  const deleting = Y.encodeStateAsUpdate(typist);
  expect(mayCreateTypes(deleting)).toBe(false);
  expect(mayCreateTypes(deleting.slice(0, -1))).toBe(true);
});
