/**
 * Joining updates by their bytes gives the document that applying them one by one gives, on
 * every kind of content and with several authors, and declines (null) whatever is not a run
 * of updates that follow one another.
 */
import { expect, test } from 'bun:test';
import * as Y from 'yjs';
import { concatUpdates } from './update-concat.ts';

/** Two authors editing one document in turns: each transaction's update, in the order made. */
function twoAuthors(): { updates: Uint8Array[]; doc: Y.Doc } {
  const updates: Uint8Array[] = [];
  const ada = new Y.Doc();
  const bob = new Y.Doc();
  ada.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'sync') {
      updates.push(update);
      Y.applyUpdate(bob, update, 'sync');
    }
  });
  bob.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'sync') {
      updates.push(update);
      Y.applyUpdate(ada, update, 'sync');
    }
  });
  const paragraph = new Y.XmlElement('paragraph');
  ada.getXmlFragment('default').insert(0, [paragraph]);
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  text.insert(0, 'naïve 😀 text, 日本語', { bold: true });
  const bobText = (bob.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
  bobText.insert(3, 'from bob ');
  text.format(0, 4, { italic: true });
  bobText.delete(1, 4);
  text.insertEmbed(2, { image: 'x.png' });
  bob.getMap('meta').set('title', 'first');
  bob.getMap('meta').set('title', 'second');
  ada.getMap('meta').set('numbers', [1, -7, 2 ** 40, 0.5]);
  ada.getArray('list').insert(0, [new Uint8Array([1, 2]), { nested: true }]);
  for (let i = 0; i < 30; i++) (i % 2 ? bobText : text).insert(i, String.fromCharCode(97 + (i % 26)));
  bobText.delete(5, 10);
  text.delete(0, 3);
  return { updates, doc: ada };
}

const built = (updates: Uint8Array[]): Y.Doc => {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
};

/** What a reader of the document sees, and what the CRDT holds: content, state vector, deletions. */
function expectSameDocument(actual: Y.Doc, expected: Y.Doc): void {
  expect(actual.getXmlFragment('default').toString()).toBe(expected.getXmlFragment('default').toString());
  expect(actual.getMap('meta').toJSON()).toEqual(expected.getMap('meta').toJSON());
  expect(actual.getArray('list').toJSON()).toEqual(expected.getArray('list').toJSON());
  expect(Y.decodeStateVector(Y.encodeStateVector(actual))).toEqual(Y.decodeStateVector(Y.encodeStateVector(expected)));
  expect(Y.encodeStateAsUpdate(actual)).toEqual(Y.encodeStateAsUpdate(expected));
  expect(actual.store.pendingStructs).toBeNull();
  expect(actual.store.pendingDs).toBeNull();
}

test('successive updates of two authors, joined whole or in runs on top of the earlier ones, give the document applied one by one', () => {
  const { updates, doc } = twoAuthors();
  const whole = concatUpdates(updates);
  expect(whole).not.toBeNull();
  expectSameDocument(built([whole!]), doc);
  for (const size of [2, 3, 7]) {
    const runs: Uint8Array[] = [];
    for (let start = 0; start < updates.length; start += size) runs.push(concatUpdates(updates.slice(start, start + size))!);
    expect(runs.every(Boolean)).toBe(true);
    expectSameDocument(built(runs), doc);
  }
});

test('the joined update holds what Yjs merging them holds, in about as many bytes', () => {
  const { updates } = twoAuthors();
  const joined = concatUpdates(updates)!;
  const merged = Y.mergeUpdates(updates);
  expect(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(joined))).toEqual(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(merged)));
  expect(Y.decodeUpdate(joined).ds).toEqual(Y.decodeUpdate(merged).ds);
  expectSameDocument(built([joined]), built([merged]));
  // Neighbouring structs stay apart (Yjs joins them when it integrates them): somewhat larger, never by much.
  expect(joined.byteLength).toBeLessThan(updates.reduce((sum, update) => sum + update.byteLength, 0) + 16);
});

test('deletions of the same ranges, overlapping or touching, are written once, sorted and joined', () => {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, 'abcdefghijklmnopqrstuvwxyz');
  const base = Y.encodeStateAsUpdate(doc);
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  text.delete(10, 3);
  text.delete(2, 4);
  text.delete(5, 3);
  const joined = concatUpdates(updates)!;
  const clientRanges = [...Y.decodeUpdate(joined).ds.clients.values()][0]!;
  for (let i = 1; i < clientRanges.length; i++) expect(clientRanges[i]!.clock).toBeGreaterThan(clientRanges[i - 1]!.clock + clientRanges[i - 1]!.len);
  expect(Y.decodeUpdate(joined).ds).toEqual(Y.decodeUpdate(Y.mergeUpdates(updates)).ds);
  const replica = built([base, joined]);
  expect(replica.getText('t').toString()).toBe(text.toString());
});

test('anything but a run that follows on is declined: a gap, a repeat, a Skip, malformed or trailing bytes', () => {
  const { updates } = twoAuthors();
  const [first, second, third] = updates as [Uint8Array, Uint8Array, Uint8Array];
  expect(concatUpdates([first, third])).toBeNull();
  expect(concatUpdates([first, first])).toBeNull();
  expect(concatUpdates([second, first])).toBeNull();
  // Yjs's merge of updates with a gap between them writes a Skip.
  const withSkip = Y.mergeUpdates([first, third]);
  expect(Y.decodeUpdate(withSkip).structs.some((struct) => struct instanceof Y.Skip)).toBe(true);
  expect(concatUpdates([withSkip])).toBeNull();
  expect(concatUpdates([first, second.subarray(0, second.byteLength - 2)])).toBeNull();
  expect(concatUpdates([first, new Uint8Array([...second, 0])])).toBeNull();
  expect(concatUpdates([new Uint8Array([1, 2, 200])])).toBeNull();
});

test('the empty update joins as nothing, and a lone update comes back equal in meaning', () => {
  const empty = Y.encodeStateAsUpdate(new Y.Doc());
  const { updates } = twoAuthors();
  expect(concatUpdates([empty, empty])).toEqual(empty);
  const alone = concatUpdates([empty, updates[0]!, empty])!;
  expectSameDocument(built([alone]), built([updates[0]!]));
});
