/**
 * Markdown pasted as plain text, parsed into the editor's schema. Loaded on the first such paste
 * (the parser is a sixth of the editor's code), never on the way to a first paint.
 */
import type { Editor, JSONContent } from '@tiptap/core';
import { MarkdownManager } from '@tiptap/markdown';

const managers = new WeakMap<Editor, MarkdownManager>();

/** `text` as the editor's content, parsed with the editor's own extensions. */
export function parseMarkdown(editor: Editor, text: string): JSONContent {
  let manager = managers.get(editor);
  if (!manager) {
    manager = new MarkdownManager({ extensions: editor.extensionManager.baseExtensions });
    managers.set(editor, manager);
  }
  return manager.parse(text);
}
