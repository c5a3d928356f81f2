/**
 * The structure check on its own: real Yjs updates, deep and wide, placed by parent or next to a
 * neighbour, against a document that applies what passes. What is refused leaves the document
 * as it was; what repeats the document (a reconnect's step 2) or deletes is never refused.
 */
import { expect, test } from 'bun:test';
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../shared/protocol.ts';
import { nestedBlockBomb, wideBlockBomb } from '../test-support/document-bombs.ts';
import { DocumentStructure, DocumentStructureError } from './document-structure.ts';

/** A server-side document guarded as a room guards it. */
function guarded(limits = { maxNestingDepth: 10, maxDocumentNodes: 100 }, initial?: Uint8Array) {
  const doc = new Y.Doc();
  if (initial) Y.applyUpdate(doc, initial);
  const structure = new DocumentStructure(limits);
  structure.measure(doc);
  doc.on('afterTransaction', (transaction: Y.Transaction) => structure.observe(transaction));
  return {
    doc,
    structure,
    apply(update: Uint8Array) {
      structure.check(doc, update);
      Y.applyUpdate(doc, update);
    },
  };
}

/** A client editing its own copy; every transaction's update is handed to `send`. */
function editor(send: (update: Uint8Array) => void) {
  const doc = new Y.Doc();
  doc.on('update', (update: Uint8Array) => send(update));
  return { doc, fragment: doc.getXmlFragment(DOCUMENT_FRAGMENT) };
}

/** Every live shared type of a document, counted by walking it. */
function liveTypes(doc: Y.Doc): number {
  let count = 0;
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) if (struct instanceof Y.Item && !struct.deleted && struct.content instanceof Y.ContentType) count++;
  }
  return count;
}

test('nesting up to MAX_NESTING_DEPTH passes; one level more is refused and nothing of it is applied', () => {
  const server = guarded();
  // Ten blockquotes deep, then a paragraph: eleven levels of blocks.
  expect(() => server.apply(nestedBlockBomb(10))).toThrow(DocumentStructureError);
  expect(() => server.apply(nestedBlockBomb(10))).toThrow(/MAX_NESTING_DEPTH/);
  expect(server.doc.getXmlFragment(DOCUMENT_FRAGMENT).length).toBe(0);
  expect(server.structure.nodeCount).toBe(0);
  // Nine blockquotes and a paragraph (ten levels) with its text run inside.
  server.apply(nestedBlockBomb(9));
  expect(server.structure.nodeCount).toBe(liveTypes(server.doc));
});

test('a level added later, by parent or next to a neighbour, counts from where it lands in the document', () => {
  const server = guarded({ maxNestingDepth: 4, maxDocumentNodes: 100 });
  const client = editor((update) => server.apply(update));
  const list = new Y.XmlElement('bulletList');
  client.fragment.insert(0, [list]);
  const item = new Y.XmlElement('listItem');
  list.insert(0, [item]);
  const nested = new Y.XmlElement('bulletList');
  item.insert(0, [nested]);
  const deepest = new Y.XmlElement('listItem');
  nested.insert(0, [deepest]); // level 4: the limit
  const paragraph = new Y.XmlElement('paragraph');
  expect(() => deepest.insert(0, [paragraph])).toThrow(/MAX_NESTING_DEPTH/); // by parent
  // Beside an existing level-4 item (its neighbour names no parent), a block inside a new one.
  const sibling = editor(() => {});
  Y.applyUpdate(sibling.doc, Y.encodeStateAsUpdate(server.doc));
  let sent: Uint8Array | null = null;
  sibling.doc.on('update', (update: Uint8Array) => (sent = update));
  const siblingList = ((sibling.fragment.get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement;
  const beside = new Y.XmlElement('listItem');
  sibling.doc.transact(() => {
    siblingList.insert(1, [beside]);
    beside.insert(0, [new Y.XmlElement('paragraph')]);
  });
  const frame = sent!;
  expect(Y.decodeUpdate(frame).structs.some((struct) => struct instanceof Y.Item && struct.parent === null)).toBe(true);
  expect(() => server.apply(frame)).toThrow(/MAX_NESTING_DEPTH/);
  // A text run inside the deepest block is fine.
  const writer = editor((update) => server.apply(update));
  Y.applyUpdate(writer.doc, Y.encodeStateAsUpdate(server.doc));
  const deepestThere = (((writer.fragment.get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement;
  deepestThere.insert(0, [new Y.XmlText('caption')]);
  expect(server.structure.nodeCount).toBe(5);
});

test('a reconnect step 2 that repeats the document is never refused, even when the document is past the limits already', () => {
  const stored = nestedBlockBomb(50); // stored before the limits existed
  const server = guarded({ maxNestingDepth: 10, maxDocumentNodes: 20 }, stored);
  expect(server.structure.nodeCount).toBe(52);
  server.apply(stored);
  server.apply(Y.encodeStateAsUpdate(server.doc));
  // Deleting is always possible, and counted.
  const client = editor((update) => server.apply(update));
  Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(server.doc));
  client.fragment.delete(0, 1);
  expect(server.structure.nodeCount).toBe(0);
  expect(server.structure.nodeCount).toBe(liveTypes(server.doc));
});

test('MAX_DOCUMENT_NODES counts live types: additions past it are refused, a replacement that deletes as much passes', () => {
  const server = guarded({ maxNestingDepth: 10, maxDocumentNodes: 100 });
  server.apply(wideBlockBomb(40)); // 40 paragraphs, each with a text run: 80 nodes
  expect(server.structure.nodeCount).toBe(80);
  expect(() => server.apply(wideBlockBomb(11))).toThrow(/MAX_DOCUMENT_NODES/);
  expect(server.structure.nodeCount).toBe(80);
  expect(liveTypes(server.doc)).toBe(80);
  // Select all, paste 45 new paragraphs: one update that deletes 80 and adds 90.
  const client = editor((update) => server.apply(update));
  Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(server.doc));
  client.doc.transact(() => {
    client.fragment.delete(0, client.fragment.length);
    client.fragment.insert(0, Array.from({ length: 45 }, () => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('pasted')]);
      return paragraph;
    }));
  });
  expect(server.structure.nodeCount).toBe(90);
  expect(liveTypes(server.doc)).toBe(90);
});

test('the check takes time in proportion to the update: a 40,000-level chain and a 100,000-block row are refused about as fast as Yjs decodes them', () => {
  const server = guarded({ maxNestingDepth: 100, maxDocumentNodes: 200_000 });
  server.apply(wideBlockBomb(1000));
  // Against decoding the same bytes, which Yjs does anyway to apply them, timed in this run:
  // 0.1 s and 0.5 s on an idle machine, the check at most twice that. The fastest of three runs
  // each, so another process or a collection landing in one run does not decide; a check that
  // grew faster than the update (a walk per level) would take hundreds of times longer.
  for (const bomb of [nestedBlockBomb(40_000), wideBlockBomb(100_000)]) {
    const decoding = fastestOf(3, () => Y.decodeUpdate(bomb));
    const checking = fastestOf(3, () => expect(() => server.apply(bomb)).toThrow(DocumentStructureError));
    expect(checking).toBeLessThan(5 * decoding + 50);
  }
  // A keystroke in a large document costs next to nothing: no walk of the document. Against the
  // same keystrokes applied to an unguarded copy.
  const client = editor((update) => server.apply(update));
  const unguarded = new Y.Doc();
  const copy = editor((update) => Y.applyUpdate(unguarded, update));
  for (const doc of [client.doc, copy.doc]) Y.applyUpdate(doc, Y.encodeStateAsUpdate(server.doc));
  const typeInto = (fragment: Y.XmlFragment) => () => {
    const text = (fragment.get(500) as Y.XmlElement).get(0) as Y.XmlText;
    for (let i = 0; i < 1000; i++) text.insert(0, 'x');
  };
  const plain = timed(typeInto(copy.fragment));
  const checked = timed(typeInto(client.fragment));
  expect(checked).toBeLessThan(5 * plain + 50);
  expect(server.structure.nodeCount).toBe(2000);
}, 30_000);

/** How long `run` takes, in milliseconds. */
function timed(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** The shortest of `runs` timings of `run`. */
function fastestOf(runs: number, run: () => unknown): number {
  return Math.min(...Array.from({ length: runs }, () => timed(run)));
}
