/** "Name this version": a small form that keeps the document's current state as a named version. */
import { useId, useState, type FormEvent } from 'react';
import type { Revision } from '../../../shared/dto.ts';
import { useNameVersion } from '../api/history.ts';
import { errorMessage } from '../api/problem.ts';
import { FormError } from '../components/FormField.tsx';

/** Longest label a version may have. */
const LABEL_MAX = 200;

export function NameVersionForm({ documentId, onNamed }: { documentId: string; onNamed: (named: Revision) => void }) {
  const [open, setOpen] = useState(false);
  const [label, setLabel] = useState('');
  const name = useNameVersion(documentId);
  const inputId = useId();

  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Name this version
      </button>
    );
  }
  const close = () => {
    setOpen(false);
    setLabel('');
    name.reset();
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (label.trim() === '') return;
    name.mutate(label, {
      onSuccess: (named) => {
        close();
        onNamed(named);
      },
    });
  };
  return (
    <form className="name-version-form" onSubmit={onSubmit} onKeyDown={(event) => event.key === 'Escape' && close()}>
      <label htmlFor={inputId}>Version name</label>
      <input
        id={inputId}
        className="input"
        value={label}
        maxLength={LABEL_MAX}
        placeholder="e.g. Sent to the board"
        onChange={(event) => setLabel(event.target.value)}
        autoFocus
        required
      />
      <button type="submit" className="button button-primary" disabled={name.isPending || label.trim() === ''}>
        {name.isPending ? 'Saving…' : 'Save name'}
      </button>
      <button type="button" className="button" onClick={close}>
        Cancel
      </button>
      <FormError message={name.isError ? errorMessage(name.error) : null} />
    </form>
  );
}
