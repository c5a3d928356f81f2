/**
 * What a document may never carry, whoever wrote it (a peer can put anything in the shared Yjs
 * fragment, an imported file anything in its markup): links other than http, https and mailto,
 * and images that are not this server's attachments. Applied to ProseMirror JSON before it is
 * stored or rendered.
 */
import type { JSONContent } from '@tiptap/core';
import { isAttachmentSrc, isSafeLink } from './content-refs.ts';

function safeMarks(marks: JSONContent['marks']): JSONContent['marks'] {
  return marks?.filter((mark) => mark.type !== 'link' || (typeof mark.attrs?.href === 'string' && isSafeLink(mark.attrs.href)));
}

/**
 * A copy of `node` without unsafe link marks (their text stays) and without images whose `src`
 * is not an attachment. Walks without recursion, so any depth is safe.
 */
export function sanitizeContent(node: JSONContent): JSONContent {
  const root: JSONContent = { ...node };
  const stack: JSONContent[] = [root];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.marks) current.marks = safeMarks(current.marks);
    if (!current.content) continue;
    current.content = current.content
      .filter((child) => child.type !== 'image' || isAttachmentSrc(child.attrs?.src))
      .map((child) => ({ ...child }));
    stack.push(...current.content);
  }
  return root;
}
