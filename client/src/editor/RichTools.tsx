/** The second toolbar row: links, images, task lists, tables and the shortcuts sheet. */
import type { Editor } from '@tiptap/core';
import { useRef } from 'react';
import type { ToolbarState } from './toolbarState.ts';

interface RichTool {
  label: string;
  icon: string;
  shortcut?: string;
  active?: keyof ToolbarState;
  /** Only while the selection is in a table. */
  inTable?: boolean;
  run: (editor: Editor) => void;
}

const TABLE_TOOLS: RichTool[] = [
  { label: 'Add row below', icon: '+row', inTable: true, run: (e) => e.chain().focus().addRowAfter().run() },
  { label: 'Add column right', icon: '+col', inTable: true, run: (e) => e.chain().focus().addColumnAfter().run() },
  { label: 'Delete row', icon: '−row', inTable: true, run: (e) => e.chain().focus().deleteRow().run() },
  { label: 'Delete column', icon: '−col', inTable: true, run: (e) => e.chain().focus().deleteColumn().run() },
  { label: 'Toggle header row', icon: 'Hdr', inTable: true, run: (e) => e.chain().focus().toggleHeaderRow().run() },
  { label: 'Delete table', icon: '✕tbl', inTable: true, run: (e) => e.chain().focus().deleteTable().run() },
];

export function RichTools({
  editor,
  state,
  onLink,
  onShortcuts,
  onImages,
}: {
  editor: Editor;
  state: ToolbarState;
  onLink: () => void;
  onShortcuts: () => void;
  onImages: (files: File[]) => void;
}) {
  const picker = useRef<HTMLInputElement>(null);
  const tools: RichTool[] = [
    { label: 'Link', icon: '🔗', shortcut: 'Ctrl+K', active: 'link', run: onLink },
    { label: 'Image', icon: '🖼', run: () => picker.current?.click() },
    { label: 'Task list', icon: '☑', shortcut: 'Ctrl+Shift+9', active: 'taskList', run: (e) => e.chain().focus().toggleTaskList().run() },
    { label: 'Insert table', icon: '▦', run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run() },
    ...TABLE_TOOLS,
    { label: 'Keyboard shortcuts', icon: '⌨', shortcut: 'Ctrl+/', run: onShortcuts },
  ];
  return (
    <div className="toolbar rich-tools" role="toolbar" aria-label="Insert">
      {tools.map((tool) =>
        tool.inTable && !state.inTable ? null : (
          <button
            key={tool.label}
            type="button"
            className="tool"
            aria-label={tool.label}
            title={tool.shortcut ? `${tool.label} (${tool.shortcut})` : tool.label}
            aria-pressed={tool.active === undefined ? undefined : Boolean(state[tool.active])}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => tool.run(editor)}
          >
            <span aria-hidden="true">{tool.icon}</span>
          </button>
        ),
      )}
      <input
        ref={picker}
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        multiple
        hidden
        aria-label="Choose images"
        onChange={(event) => {
          onImages([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
    </div>
  );
}
