/**
 * The diff of stored changes: inserted text marked with the author of the change that brought
 * it, deleted text with the author who deleted it, also when a part of a change could only be
 * applied after a later part of the same change (a restore's update stored before the edits it
 * was made on top of).
 */
import { expect, test } from 'bun:test';
import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../../shared/protocol.ts';
import type { ChangePart } from './changes.ts';
import { diffChanges } from './diff.ts';

const accounts = new Map([
  ['alice', { id: 'alice', name: 'Alice' }],
  ['bob', { id: 'bob', name: 'Bob' }],
]);

/** A paragraph holding `text`, in a document's fragment. */
function paragraph(doc: Y.Doc, text: string): void {
  const element = new Y.XmlElement('paragraph');
  const content = new Y.XmlText(text);
  element.insert(0, [content]);
  doc.getXmlFragment(DOCUMENT_FRAGMENT).push([element]);
}

/** The marked runs of a diff: [text, mark type, author name]. */
function marked(diff: JSONContent): [string, string, string][] {
  const runs: [string, string, string][] = [];
  const walk = (node: JSONContent) => {
    for (const mark of node.marks ?? []) {
      if (mark.type === 'insertion' || mark.type === 'deletion') runs.push([node.text ?? '', mark.type, (mark.attrs?.author as { name: string } | null)?.name ?? '?']);
    }
    node.content?.forEach(walk);
  };
  walk(diff);
  return runs;
}

function changeSince(doc: Y.Doc, before: Uint8Array, userId: string): ChangePart {
  return { userId, update: Y.encodeStateAsUpdate(doc, before) };
}

test('insertions carry the author who typed them, deletions the author who deleted', () => {
  const doc = new Y.Doc();
  paragraph(doc, 'Hello world');
  const first = [{ userId: 'alice', update: Y.encodeStateAsUpdate(doc) }];
  const bob = new Y.Doc();
  Y.applyUpdate(bob, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(bob);
  const bobText = (bob.getXmlFragment(DOCUMENT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  bobText.delete(6, 5);
  bobText.insert(6, 'there');
  const second = [changeSince(bob, before, 'bob')];

  expect(marked(diffChanges([first, second], 1, accounts))).toEqual([
    ['world', 'deletion', 'Bob'],
    ['there', 'insertion', 'Bob'],
  ]);
  expect(marked(diffChanges([first], 0, accounts))).toEqual([['Hello world', 'insertion', 'Alice']]);
});

test('a part stored before the part it builds on keeps its own author', () => {
  const doc = new Y.Doc();
  paragraph(doc, 'Draft');
  const first = [{ userId: 'alice', update: Y.encodeStateAsUpdate(doc) }];
  const base = Y.encodeStateVector(doc);
  // Bob types into the paragraph; Alice, on another replica that has Bob's text, types after it.
  const bob = new Y.Doc();
  Y.applyUpdate(bob, Y.encodeStateAsUpdate(doc));
  ((bob.getXmlFragment(DOCUMENT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(5, ' by Bob');
  const bobPart = changeSince(bob, base, 'bob');
  const alice = new Y.Doc();
  Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob));
  const afterBob = Y.encodeStateVector(alice);
  ((alice.getXmlFragment(DOCUMENT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(12, ', checked');
  const alicePart = changeSince(alice, afterBob, 'alice');

  // Alice's part first: it can only be applied once Bob's is.
  expect(marked(diffChanges([first, [alicePart, bobPart]], 1, accounts))).toEqual([
    [' by Bob', 'insertion', 'Bob'],
    [', checked', 'insertion', 'Alice'],
  ]);
});
