/**
 * Finds someone to share with by name or email: a combobox over `GET /api/users?q` (debounced),
 * worked with the arrow keys, Enter to add, Escape to close the list (not the dialog).
 */
import { useId, useState, type KeyboardEvent } from 'react';
import type { AccessGrant } from '../../../shared/dto.ts';
import { errorMessage } from '../api/problem.ts';
import { usePeople } from '../api/users.ts';
import { useDebouncedValue } from '../components/hooks.ts';
import { Avatar } from '../people/Avatar.tsx';

type Person = AccessGrant['user'];

/** Most people offered at once; typing more narrows the list. */
const SHOWN = 8;

/** `excluded`: ids already listed (the owner, people with a grant), not offered again. */
export function PeoplePicker({ excluded, onPick }: { excluded: ReadonlySet<string>; onPick: (person: Person) => void }) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = useDebouncedValue(text.trim(), 250);
  const people = usePeople(query, query !== '');
  const inputId = useId();
  const listId = useId();
  const statusId = useId();
  const optionId = (index: number) => `${listId}-${index}`;

  const found = query === '' ? [] : (people.data ?? []);
  const options = found.filter((person) => !person.disabled && !excluded.has(person.id)).slice(0, SHOWN);
  const expanded = open && query !== '' && options.length > 0;
  const current = Math.min(active, options.length - 1);

  const pick = (index: number) => {
    const person = options[index];
    if (person === undefined) return;
    onPick({ id: person.id, name: person.name, email: person.email, color: person.color });
    setText('');
    setActive(0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((options.length + current + step) % Math.max(options.length, 1));
    } else if (event.key === 'Enter') {
      // Enter picks; it never submits the dialog's form from here.
      event.preventDefault();
      if (expanded) pick(current);
    } else if (event.key === 'Escape' && expanded) {
      event.preventDefault();
      setOpen(false);
    }
  };

  let status: string | null = null;
  if (query !== '' && people.isError) status = errorMessage(people.error);
  else if (query !== '' && people.isSuccess && !people.isPlaceholderData && options.length === 0) status = `No one else matches “${query}”.`;

  return (
    <div className="field people-picker">
      <label htmlFor={inputId}>Add people</label>
      <input
        id={inputId}
        className="input"
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded ? optionId(current) : undefined}
        aria-describedby={statusId}
        autoComplete="off"
        placeholder="Name or email"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
      />
      <ul id={listId} role="listbox" aria-label="People found" className="people-options" hidden={!expanded}>
        {options.map((person, index) => (
          <li
            key={person.id}
            id={optionId(index)}
            role="option"
            aria-selected={index === current}
            className="people-option"
            // Keep focus in the input: a click must not blur it and close the list first.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => pick(index)}
          >
            <Avatar person={person} small />
            <span>{person.name}</span>
            {person.email && <span className="muted small">{person.email}</span>}
          </li>
        ))}
      </ul>
      <p id={statusId} className={people.isError ? 'field-error' : 'muted small'} role="status">
        {status}
      </p>
    </div>
  );
}
