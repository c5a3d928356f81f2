/** The keyboard shortcuts sheet (Ctrl+/). */
import { useModalDialog } from '../components/useModalDialog.ts';

/** Every shortcut the editor and the app answer to. */
export const SHORTCUTS: readonly [string, string][] = [
  ['Ctrl+B', 'Bold'],
  ['Ctrl+I', 'Italic'],
  ['Ctrl+U', 'Underline'],
  ['Ctrl+Shift+S', 'Strikethrough'],
  ['Ctrl+E', 'Inline code'],
  ['Ctrl+K', 'Add, edit or remove a link'],
  ['Ctrl+Alt+1 … 3', 'Heading 1 to 3'],
  ['Ctrl+Shift+8', 'Bulleted list'],
  ['Ctrl+Shift+7', 'Numbered list'],
  ['Ctrl+Shift+9', 'Task list'],
  ['Ctrl+Shift+B', 'Quote'],
  ['Ctrl+Alt+C', 'Code block'],
  ['Tab / Shift+Tab', 'Next / previous table cell; indent a list item'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'Undo / redo your own changes'],
  ['Ctrl+Shift+P', 'Quick open: find a document'],
  ['Ctrl+/', 'This list'],
];

export function ShortcutsSheet({ onClose }: { onClose: () => void }) {
  const dialog = useModalDialog(true);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, action]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
