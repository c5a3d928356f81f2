/** The formatting toolbar: the schema's marks and blocks, plus Yjs undo and redo. */
import type { Editor } from '@tiptap/core';
import type { KeyboardEvent } from 'react';
import type { ToolbarState } from './toolbarState.ts';

interface ToolDefinition {
  label: string;
  icon: string;
  shortcut?: string;
  /** Key of the state that says this tool is on; toggles get `aria-pressed`. */
  active?: keyof ToolbarState;
  disabledUnless?: keyof ToolbarState;
  run: (editor: Editor) => void;
}

const GROUPS: ToolDefinition[][] = [
  [
    { label: 'Bold', icon: 'B', shortcut: 'Ctrl+B', active: 'bold', run: (e) => e.chain().focus().toggleBold().run() },
    { label: 'Italic', icon: 'I', shortcut: 'Ctrl+I', active: 'italic', run: (e) => e.chain().focus().toggleItalic().run() },
    { label: 'Strikethrough', icon: 'S', shortcut: 'Ctrl+Shift+S', active: 'strike', run: (e) => e.chain().focus().toggleStrike().run() },
    { label: 'Inline code', icon: '</>', shortcut: 'Ctrl+E', active: 'code', run: (e) => e.chain().focus().toggleCode().run() },
  ],
  [
    { label: 'Heading 1', icon: 'H1', active: 'heading1', run: (e) => e.chain().focus().toggleHeading({ level: 1 }).run() },
    { label: 'Heading 2', icon: 'H2', active: 'heading2', run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run() },
    { label: 'Heading 3', icon: 'H3', active: 'heading3', run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run() },
  ],
  [
    { label: 'Bulleted list', icon: '•', active: 'bulletList', run: (e) => e.chain().focus().toggleBulletList().run() },
    { label: 'Numbered list', icon: '1.', active: 'orderedList', run: (e) => e.chain().focus().toggleOrderedList().run() },
    { label: 'Quote', icon: '❝', active: 'blockquote', run: (e) => e.chain().focus().toggleBlockquote().run() },
    { label: 'Code block', icon: '{ }', active: 'codeBlock', run: (e) => e.chain().focus().toggleCodeBlock().run() },
    { label: 'Horizontal rule', icon: '―', run: (e) => e.chain().focus().setHorizontalRule().run() },
  ],
  [
    { label: 'Undo', icon: '↶', shortcut: 'Ctrl+Z', disabledUnless: 'canUndo', run: (e) => e.chain().focus().undo().run() },
    { label: 'Redo', icon: '↷', shortcut: 'Ctrl+Shift+Z', disabledUnless: 'canRedo', run: (e) => e.chain().focus().redo().run() },
  ],
];

/** Arrow keys move between buttons, as in the ARIA toolbar pattern. */
function moveFocus(event: KeyboardEvent<HTMLDivElement>): void {
  if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight' && event.key !== 'Home' && event.key !== 'End') return;
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button:not(:disabled)')];
  const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
  const last = buttons.length - 1;
  const next =
    event.key === 'Home' ? 0 : event.key === 'End' ? last : event.key === 'ArrowLeft' ? Math.max(0, index - 1) : Math.min(last, index + 1);
  buttons[next]?.focus();
  event.preventDefault();
}

export function Toolbar({ editor, state }: { editor: Editor; state: ToolbarState }) {
  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" onKeyDown={moveFocus}>
      {GROUPS.map((group, groupIndex) => (
        <div className="toolbar-group" key={groupIndex}>
          {group.map((tool) => (
            <button
              key={tool.label}
              type="button"
              className="tool"
              aria-label={tool.label}
              title={tool.shortcut === undefined ? tool.label : `${tool.label} (${tool.shortcut})`}
              aria-pressed={tool.active === undefined ? undefined : Boolean(state[tool.active])}
              disabled={tool.disabledUnless === undefined ? false : !state[tool.disabledUnless]}
              // Keep the editor's selection: the click must not move focus away first.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => tool.run(editor)}
            >
              <span aria-hidden="true">{tool.icon}</span>
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}
