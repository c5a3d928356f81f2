/** The quick-open palette itself, loaded the first time its shortcut is pressed. */
import { useState, type KeyboardEvent } from 'react';
import { useLocation } from 'wouter';
import { useDebouncedValue } from '../components/hooks.ts';
import { useModalDialog } from '../components/useModalDialog.ts';
import { useSearch } from './searchApi.ts';
import { Snippet } from './Snippet.tsx';

export function QuickOpenPalette({ onClose }: { onClose: () => void }) {
  const dialog = useModalDialog(true);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const results = useSearch(useDebouncedValue(q, 120), 8);
  const items = q.trim() ? (results.data?.items ?? []) : [];
  const [, navigate] = useLocation();
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
