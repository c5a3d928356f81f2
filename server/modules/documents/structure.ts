/**
 * Bounds on a document's structure. Rendering walks the tree recursively (ProseMirror, Tiptap's
 * serializers), so a pathological document, thousands of blocks deep or millions of nodes wide,
 * is refused with a clear error before any of that starts, in time proportional to its size.
 */
import * as Y from 'yjs';

export interface StructureLimits {
  /** Deepest nesting of blocks (lists in lists, quotes in quotes) a document may have. */
  maxNestingDepth: number;
  /** Most nodes (blocks and text runs) a document may have. */
  maxDocumentNodes: number;
}

/** Thrown when a document is too deep or too large to work with; the route answers 422. */
export class DocumentTooComplexError extends Error {}

/** The error for a document nested deeper than `MAX_NESTING_DEPTH`, in whatever form it comes. */
export function tooDeep(limits: StructureLimits): DocumentTooComplexError {
  return new DocumentTooComplexError(`the document is nested deeper than ${limits.maxNestingDepth} levels (MAX_NESTING_DEPTH)`);
}

/** Walks `fragment` without recursion and throws when it passes a limit; stops at the first breach. */
export function checkStructure(fragment: Y.XmlFragment, limits: StructureLimits): void {
  const stack: [Y.XmlFragment | Y.XmlElement, number][] = [[fragment, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [parent, depth] = stack.pop()!;
    for (let child = parent._first; child !== null; child = child.right) {
      if (child.deleted || !(child.content instanceof Y.ContentType)) continue;
      if (++nodes > limits.maxDocumentNodes) {
        throw new DocumentTooComplexError(`the document has more than ${limits.maxDocumentNodes} nodes (MAX_DOCUMENT_NODES)`);
      }
      const type = child.content.type;
      if (type instanceof Y.XmlElement) {
        if (depth + 1 > limits.maxNestingDepth) throw tooDeep(limits);
        stack.push([type, depth + 1]);
      }
    }
  }
}
