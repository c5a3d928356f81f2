/**
 * Real Yjs updates whose structure is hostile, for the hostile and fuzz suites: a chain of
 * nested blocks: cost that grows with depth squared in a naive walk to the root, and recursion
 * that overflows the stack in renderers.
 */
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../shared/protocol.ts';

/** An update that nests `depth` blockquotes, with a paragraph saying `text` at the bottom. */
export function nestedBlockBomb(depth: number, text = 'bottom'): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    let parent: Y.XmlFragment | Y.XmlElement = doc.getXmlFragment(DOCUMENT_FRAGMENT);
    for (let level = 0; level < depth; level++) {
      const quote = new Y.XmlElement('blockquote');
      parent.insert(0, [quote]);
      parent = quote;
    }
    const paragraph = new Y.XmlElement('paragraph');
    parent.insert(0, [paragraph]);
    paragraph.insert(0, [new Y.XmlText(text)]);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** An update of `count` paragraphs side by side, each with a text run: wide rather than deep. */
export function wideBlockBomb(count: number, text = 'wide'): Uint8Array {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(DOCUMENT_FRAGMENT);
  doc.transact(() => {
    fragment.insert(0, Array.from({ length: count }, () => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(text)]);
      return paragraph;
    }));
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
