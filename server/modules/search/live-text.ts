/**
 * The text an open document shows, read from its live Y.Doc up to a budget, for the search index:
 * cheap on the event loop however large the document (it stops at the budget, in characters and
 * in nodes visited), where rendering a large document takes a render worker for seconds.
 */
import * as Y from 'yjs';

/** Most nodes visited for one document: a document of empty blocks must not cost a walk of all of them. */
const MAX_NODES = 50_000;

/**
 * Stored states up to this size are read here, on the event loop, like a live document: building
 * a Y.Doc of 64 KiB takes a few milliseconds, where a render worker takes a thread and seconds to
 * start. Larger ones go to the indexer's render worker.
 */
export const MAX_INLINE_TEXT_BYTES = 64 * 1024;

/** The text of a stored state (its updates), as `liveText` reads it, from a Y.Doc built for the purpose. */
export function storedText(updates: readonly Uint8Array[], fragmentName: string, maxChars: number): string {
  const doc = new Y.Doc();
  try {
    Y.transact(doc, () => {
      for (const update of updates) Y.applyUpdate(doc, update);
    });
    return liveText(doc.getXmlFragment(fragmentName), maxChars);
  } finally {
    doc.destroy();
  }
}

/** The first `maxChars` characters of a fragment's text, blocks on lines of their own. */
export function liveText(fragment: Y.XmlFragment, maxChars: number): string {
  const lines: string[] = [];
  let chars = 0;
  let nodes = 0;
  const stack: (Y.XmlFragment | Y.XmlElement | Y.XmlText)[] = [fragment];
  while (stack.length > 0 && chars < maxChars && nodes < MAX_NODES) {
    const node = stack.pop()!;
    nodes++;
    if (node instanceof Y.XmlText) {
      let line = '';
      for (const op of node.toDelta() as { insert: unknown }[]) if (typeof op.insert === 'string') line += op.insert;
      if (line) {
        lines.push(line);
        chars += line.length + 1;
      }
      continue;
    }
    const children = node.toArray() as (Y.XmlElement | Y.XmlText)[];
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
  }
  return lines.join('\n').slice(0, maxChars);
}
