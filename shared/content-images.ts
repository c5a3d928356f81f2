/** The image nodes of ProseMirror JSON, for code that reads or rewrites their `src`. */
import type { JSONContent } from '@tiptap/core';

/** Every image node, in document order, walked with a stack (deep documents must not overflow it). */
export function imageNodes(content: JSONContent): JSONContent[] {
  const images: JSONContent[] = [];
  const stack = [content];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'image') images.push(node);
    for (let index = (node.content?.length ?? 0) - 1; index >= 0; index--) stack.push(node.content![index]!);
  }
  return images;
}
