/** The document title, edited in place: Enter or leaving the field saves, Escape reverts. */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { DocumentDetail } from '../../../shared/dto.ts';
import { useRenameDocument } from '../api/documents.ts';
import { errorMessage, hasStatus } from '../api/problem.ts';
import { useShareToken } from '../sharing/shareToken.tsx';

/** `readOnly`: a viewer sees the title as everyone does, and cannot change it. */
export function TitleField({ document, readOnly }: { document: DocumentDetail; readOnly: boolean }) {
  const [draft, setDraft] = useState(document.title);
  const [editing, setEditing] = useState(false);
  const rename = useRenameDocument();
  const share = useShareToken();
  const input = useRef<HTMLInputElement>(null);

  // Someone else's rename shows up unless this user is typing a new title.
  useEffect(() => {
    if (!editing) setDraft(document.title);
  }, [document.title, editing]);

  const save = () => {
    setEditing(false);
    const title = draft.trim();
    if (title === '' || title === document.title) {
      setDraft(document.title);
      return;
    }
    rename.mutate({ id: document.id, title, version: document.version, share });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    input.current?.blur();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Escape') return;
    setDraft(document.title);
    setEditing(false);
    rename.reset();
    // Leaving the field saves, so mark it clean before the blur.
    requestAnimationFrame(() => input.current?.blur());
  };

  const conflict = hasStatus(rename.error, 412);
  return (
    <form className="title-form" onSubmit={onSubmit}>
      <input
        ref={input}
        className="title-input"
        aria-label="Document title"
        value={draft}
        maxLength={200}
        readOnly={readOnly}
        onFocus={() => setEditing(!readOnly)}
        onChange={(event) => {
          setEditing(true);
          setDraft(event.target.value);
        }}
        onBlur={() => (editing ? save() : undefined)}
        onKeyDown={onKeyDown}
      />
      {rename.isError && (
        <p className="field-error" role="alert">
          {conflict ? 'Someone renamed this document meanwhile; their title is shown.' : errorMessage(rename.error)}
        </p>
      )}
    </form>
  );
}
