/**
 * What the toolbar reads from the editor on each transaction: only what is at the selection, so
 * it costs the same in a long document (the word count is counted apart, see useWordCount).
 */
import type { Editor } from '@tiptap/core';

/** Active formatting and history availability at the selection. */
export interface ToolbarState {
  bold: boolean;
  italic: boolean;
  strike: boolean;
  code: boolean;
  heading1: boolean;
  heading2: boolean;
  heading3: boolean;
  bulletList: boolean;
  orderedList: boolean;
  blockquote: boolean;
  codeBlock: boolean;
  link: boolean;
  taskList: boolean;
  /** The selection is in a table: its row and column tools apply. */
  inTable: boolean;
  canUndo: boolean;
  canRedo: boolean;
}

/** Reads the toolbar state; `editor.can()` answers without changing the document. */
export function readToolbarState(editor: Editor): ToolbarState {
  return {
    bold: editor.isActive('bold'),
    italic: editor.isActive('italic'),
    strike: editor.isActive('strike'),
    code: editor.isActive('code'),
    heading1: editor.isActive('heading', { level: 1 }),
    heading2: editor.isActive('heading', { level: 2 }),
    heading3: editor.isActive('heading', { level: 3 }),
    bulletList: editor.isActive('bulletList'),
    orderedList: editor.isActive('orderedList'),
    blockquote: editor.isActive('blockquote'),
    codeBlock: editor.isActive('codeBlock'),
    link: editor.isActive('link'),
    taskList: editor.isActive('taskList'),
    inTable: editor.isActive('table'),
    canUndo: editor.can().undo(),
    canRedo: editor.can().redo(),
  };
}
