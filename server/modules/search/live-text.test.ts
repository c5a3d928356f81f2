/** The text the index takes from an open document: in order, blocks on their own lines, within its budget. */
import { expect, test } from 'bun:test';
import * as Y from 'yjs';
import { liveText, storedText } from './live-text.ts';

function documentOf(blocks: string[][]): Y.XmlFragment {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('default');
  fragment.insert(
    0,
    blocks.map((runs) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, runs.map((run) => new Y.XmlText(run)));
      return paragraph;
    }),
  );
  return fragment;
}

test('reads blocks in order, one per line, and stops at the budget', () => {
  const fragment = documentOf([['Project ', 'plan'], [], ['This is the intro']]);
  expect(liveText(fragment, 1000)).toBe('Project \nplan\nThis is the intro');
  expect(liveText(fragment, 10)).toBe('Project \np');
});

test('a document of 100,000 empty blocks is walked only up to the node budget: text after it is not read', () => {
  const fragment = documentOf(Array.from({ length: 100_000 }, () => []));
  fragment.insert(fragment.length, [new Y.XmlText('found at the end')]);
  expect(liveText(fragment, 1000)).toBe('');
  const small = documentOf(Array.from({ length: 10 }, () => []));
  small.insert(small.length, [new Y.XmlText('found at the end')]);
  expect(liveText(small, 1000)).toBe('found at the end');
});

test('a stored state reads as the live document it would build', () => {
  const fragment = documentOf([['Stored ', 'words'], ['second block']]);
  const updates = [Y.encodeStateAsUpdate(fragment.doc!)];
  expect(storedText(updates, 'default', 1000)).toBe(liveText(fragment, 1000));
  expect(storedText(updates, 'default', 1000)).toBe('Stored \nwords\nsecond block');
  expect(storedText([], 'default', 1000)).toBe('');
});
