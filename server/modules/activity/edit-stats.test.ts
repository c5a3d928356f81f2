/** What one real Yjs transaction on the document fragment counts as inserted, deleted and excerpted. */
import { describe, expect, test } from 'bun:test';
import * as Y from 'yjs';
import { survivingText } from './burst-text.ts';
import { CreatedRanges } from './created-ranges.ts';
import { EXCERPT_LENGTH, editStats, type EditStats } from './edit-stats.ts';

/** A document as the server's room holds it (gc on), with one paragraph per text. */
function documentWith(...paragraphs: string[]): { doc: Y.Doc; fragment: Y.XmlFragment } {
  return documentWithGc(true, ...paragraphs);
}

function documentWithGc(gc: boolean, ...paragraphs: string[]): { doc: Y.Doc; fragment: Y.XmlFragment } {
  const doc = new Y.Doc({ gc });
  const fragment = doc.getXmlFragment('default');
  for (const text of paragraphs) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    fragment.insert(fragment.length, [paragraph]);
  }
  return { doc, fragment };
}

/** Runs `change` in one transaction and measures it as the room does: after each transaction that changed something. */
function measure(doc: Y.Doc, fragment: Y.XmlFragment, change: () => void): EditStats {
  let stats: EditStats | null = null;
  const onAfter = (transaction: Y.Transaction) => {
    if (transaction.changed.size === 0) return; // Yjs may follow up with an empty transaction
    if (stats !== null) throw new Error('expected one transaction');
    stats = editStats(transaction, fragment);
  };
  doc.on('afterTransaction', onAfter);
  doc.transact(change, 'peer');
  doc.off('afterTransaction', onAfter);
  if (stats === null) throw new Error('no transaction observed');
  // The burst-level parts (what was created, words deleted) have tests of their own below.
  const { created: _created, deletedWords: _words, ...counts } = stats as EditStats;
  return counts;
}

/** Applies `change` made on a copy to `doc` as a remote update, the way a sync peer's edit arrives. */
function measureRemote(doc: Y.Doc, fragment: Y.XmlFragment, change: (copy: Y.Doc) => void): EditStats {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(copy);
  change(copy);
  const update = Y.encodeStateAsUpdate(copy, before);
  return measure(doc, fragment, () => Y.applyUpdate(doc, update, 'peer'));
}

const textOf = (fragment: Y.XmlFragment, index: number) => (fragment.get(index) as Y.XmlElement).get(0) as Y.XmlText;

describe('edit stats from Yjs change events', () => {
  test('typing into an existing paragraph counts the typed characters', () => {
    const { doc, fragment } = documentWith('Hello');
    expect(measure(doc, fragment, () => textOf(fragment, 0).insert(5, ', world'))).toEqual({ inserted: 7, deleted: 0, excerpt: ', world' });
  });

  test('pasting a whole new paragraph counts its text', () => {
    const { doc, fragment } = documentWith('First');
    const stats = measure(doc, fragment, () => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Pasted paragraph')]);
      fragment.insert(1, [paragraph]);
    });
    expect(stats).toEqual({ inserted: 16, deleted: 0, excerpt: '\nPasted paragraph' });
  });

  test('pasting nested blocks (a list) counts the text of every item', () => {
    const { doc, fragment } = documentWith();
    const stats = measureRemote(doc, fragment, (copy) => {
      const list = new Y.XmlElement('bulletList');
      for (const text of ['one', 'two']) {
        const item = new Y.XmlElement('listItem');
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(text)]);
        item.insert(0, [paragraph]);
        list.insert(list.length, [item]);
      }
      copy.getXmlFragment('default').insert(0, [list]);
    });
    expect(stats.inserted).toBe(6);
    expect(stats.deleted).toBe(0);
    expect(stats.excerpt).toBe('\none\ntwo');
  });

  test('deleting a paragraph counts its text as deleted', () => {
    const { doc, fragment } = documentWith('Keep me', 'Remove this');
    expect(measure(doc, fragment, () => fragment.delete(1, 1))).toEqual({ inserted: 0, deleted: 11, excerpt: '' });
    expect(fragment.length).toBe(1);
  });

  test.each([true, false])('deleting a paragraph whose text was already partly deleted counts only what remained (gc %p)', (gc) => {
    const { doc, fragment } = documentWithGc(gc, 'Hello world');
    expect(measure(doc, fragment, () => textOf(fragment, 0).delete(5, 6)).deleted).toBe(6);
    expect(measure(doc, fragment, () => fragment.delete(0, 1)).deleted).toBe(5);
  });

  test('deleting a paragraph that arrives as a remote update counts its text', () => {
    const { doc, fragment } = documentWith('Alpha', 'Beta');
    expect(measureRemote(doc, fragment, (copy) => copy.getXmlFragment('default').delete(0, 1))).toEqual({ inserted: 0, deleted: 5, excerpt: '' });
  });

  test('replacing a selection counts both sides', () => {
    const { doc, fragment } = documentWith('The cat sat');
    const stats = measureRemote(doc, fragment, (copy) => {
      const text = (copy.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
      text.delete(4, 3);
      text.insert(4, 'dog');
    });
    expect(stats).toEqual({ inserted: 3, deleted: 3, excerpt: 'dog' });
  });

  test('the excerpt is capped at 120 characters while the count is exact', () => {
    const { doc, fragment } = documentWith('');
    const long = 'abcdefghij'.repeat(30);
    const stats = measure(doc, fragment, () => textOf(fragment, 0).insert(0, long));
    expect(stats.inserted).toBe(300);
    expect(stats.excerpt).toHaveLength(EXCERPT_LENGTH);
    expect(stats.excerpt).toBe(long.slice(0, EXCERPT_LENGTH));
  });

  test('changes outside the edited fragment and attribute-only changes count nothing', () => {
    const { doc, fragment } = documentWith('Title');
    expect(measure(doc, fragment, () => doc.getMap('meta').set('x', 'some text'))).toEqual({ inserted: 0, deleted: 0, excerpt: '' });
    expect(measure(doc, fragment, () => (fragment.get(0) as Y.XmlElement).setAttribute('level', '2'))).toEqual({ inserted: 0, deleted: 0, excerpt: '' });
  });

  test('deleting what the same burst typed is undoing: not counted; words of real deletions are', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('default');
    doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('old words stay')]);
      fragment.insert(0, [paragraph]);
    });
    const stats: EditStats[] = [];
    const earlier = new CreatedRanges();
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.changed.size === 0) return;
      const measured = editStats(transaction, fragment, earlier);
      if (measured.created) earlier.addAll(measured.created);
      stats.push(measured);
    });
    doc.transact(() => textOf(fragment, 0).insert(14, ' typed'));
    doc.transact(() => textOf(fragment, 0).delete(9, 11)); // " stay typed": 5 old characters, 6 typed in this burst
    expect(stats[1]).toMatchObject({ inserted: 0, deleted: 5, deletedWords: 1 });
    expect(survivingText(fragment, earlier)).toEqual({ chars: 0, words: 0, excerpt: '' });
  });

  test('what a burst made is told apart from older text that Yjs merged into the same struct', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('default');
    doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Before the restart. ')]);
      fragment.insert(0, [paragraph]);
    });
    const created = new CreatedRanges();
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      const measured = editStats(transaction, fragment, created);
      if (measured.created) created.addAll(measured.created);
    });
    // Typed right after, by the same client: Yjs merges the two runs into one struct.
    doc.transact(() => textOf(fragment, 0).insert(20, 'Ada wrote offline.'));
    expect(survivingText(fragment, created)).toEqual({ chars: 18, words: 3, excerpt: 'Ada wrote offline.' });
  });
});
