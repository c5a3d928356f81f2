/** The plain text of a Tiptap document held in a Y.XmlFragment, blocks on their own lines. */
import * as Y from 'yjs';

/** Block nodes whose children are blocks, not inline text. */
const CONTAINERS = new Set(['bulletList', 'orderedList', 'listItem', 'blockquote', 'taskList', 'taskItem']);

function inlineText(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as { insert?: unknown }[]) {
    if (typeof op.insert === 'string') out += op.insert;
  }
  return out;
}

function blocks(node: Y.XmlElement | Y.XmlFragment, lines: string[]): void {
  let line: string | null = null;
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) {
      line = (line ?? '') + inlineText(child);
    } else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'hardBreak') {
        line = `${line ?? ''}\n`;
      } else if (CONTAINERS.has(child.nodeName) || child.toArray().some((grandchild) => grandchild instanceof Y.XmlElement && grandchild.nodeName !== 'hardBreak')) {
        if (line !== null) lines.push(line);
        line = null;
        blocks(child, lines);
      } else {
        if (line !== null) lines.push(line);
        line = null;
        const inner: string[] = [];
        blocks(child, inner);
        lines.push(inner.join('\n'));
      }
    }
  }
  if (line !== null) lines.push(line);
}

/** Text of the document, one line per paragraph, heading or list item. */
export function documentText(fragment: Y.XmlFragment): string {
  const lines: string[] = [];
  blocks(fragment, lines);
  return lines.join('\n');
}
