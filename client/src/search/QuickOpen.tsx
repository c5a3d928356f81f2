/**
 * The quick-open palette (Ctrl+Shift+P, ⌘⇧P): type a few words of a title or the text, arrow to
 * a result, Enter opens it. Not Ctrl+K, which makes links in the editor.
 */
import { useEffect, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { useModalDialog } from '../components/useModalDialog.ts';
import { useDebouncedValue } from '../components/hooks.ts';
import { useSearch } from './searchApi.ts';
import { Snippet } from './Snippet.tsx';

/** Whether a key press is the palette's shortcut. */
export function isQuickOpenKey(event: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): boolean {
  return (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.key.toLowerCase() === 'p';
}

function Palette({ onClose }: { onClose: () => void }) {
  const dialog = useModalDialog(true);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const results = useSearch(useDebouncedValue(q, 120), 8);
  const items = q.trim() ? (results.data?.items ?? []) : [];
  const navigate = useNavigate();
  const open = (index: number) => {
    const item = items[index];
    if (!item) return;
    onClose();
    void navigate(`/d/${item.document.id}`);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') setActive((index) => Math.min(items.length - 1, index + 1));
    else if (event.key === 'ArrowUp') setActive((index) => Math.max(0, index - 1));
    else if (event.key === 'Enter') open(active);
    else return;
    event.preventDefault();
  };
  return (
    <dialog ref={dialog} className="dialog quick-open" aria-label="Quick open" onClose={onClose}>
      <input
        type="search"
        autoFocus
        aria-label="Find a document"
        placeholder="Find a document…"
        value={q}
        onChange={(event) => (setQ(event.target.value), setActive(0))}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-expanded={items.length > 0}
        aria-controls="quick-open-results"
        aria-activedescendant={items[active] ? `quick-open-${items[active].document.id}` : undefined}
      />
      <ul id="quick-open-results" role="listbox" aria-label="Documents found">
        {items.map((item, index) => (
          <li key={item.document.id} id={`quick-open-${item.document.id}`} role="option" aria-selected={index === active} onClick={() => open(index)}>
            <strong>{item.document.title}</strong> <Snippet html={item.snippet} />
          </li>
        ))}
      </ul>
    </dialog>
  );
}

/** Listens for the shortcut on the whole page while mounted, and shows the palette. */
export function QuickOpen() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!isQuickOpenKey(event)) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return open ? <Palette onClose={() => setOpen(false)} /> : null;
}
