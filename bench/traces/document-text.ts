/**
 * The document shape the benchmark edits: Tiptap's layout, a Y.XmlFragment named `default`
 * holding paragraphs that each hold one Y.XmlText. Servers that interpret content (Quire's
 * activity feed, its renderers) therefore see what a real editor would send.
 */
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../shared/protocol.ts';
import type { Patch } from './trace-files.ts';

/** Appends a paragraph to `doc` and returns its text, ready to type into. */
export function appendParagraph(doc: Y.Doc): Y.XmlText {
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  doc.transact(() => {
    paragraph.insert(0, [text]);
    doc.getXmlFragment(DOCUMENT_FRAGMENT).push([paragraph]);
  });
  return text;
}

/** The plain text of every paragraph, joined by newlines (no markup, no escaping). */
export function documentText(doc: Y.Doc): string {
  const paragraphs: string[] = [];
  for (const node of doc.getXmlFragment(DOCUMENT_FRAGMENT).toArray()) {
    if (!(node instanceof Y.XmlElement)) continue;
    let text = '';
    for (const child of node.toArray()) {
      // XmlText.toString renders markup; the raw characters come from Y.Text's own toString.
      if (child instanceof Y.XmlText) text += Y.Text.prototype.toString.call(child);
    }
    paragraphs.push(text);
  }
  return paragraphs.join('\n');
}

/** Applies one transaction's patches to `text` inside a single Yjs transaction. */
export function applyPatchesToYText(text: Y.XmlText, patches: readonly Patch[]): void {
  const doc = text.doc;
  if (!doc) throw new Error('text is not attached to a document');
  doc.transact(() => {
    for (const [position, deleteCount, inserted] of patches) {
      if (deleteCount > 0) text.delete(position, deleteCount);
      if (inserted) text.insert(position, inserted);
    }
  });
}
