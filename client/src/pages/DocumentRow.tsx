/** One document in the list, with rename in place and a move to the trash (which the list offers to undo). */
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import type { DocumentSummary } from '../../../shared/dto.ts';
import { displayTitle } from '../activity/format.ts';
import { useRenameDocument } from '../api/documents.ts';
import { errorMessage } from '../api/problem.ts';
import { DOCUMENT_ROLE_LABELS } from '../sharing/accessForm.ts';
import { RelativeTime } from '../time/RelativeTime.tsx';

function RenameForm({ document, onDone }: { document: DocumentSummary; onDone: () => void }) {
  const [title, setTitle] = useState(document.title);
  const rename = useRenameDocument();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (title.trim() === '' || title.trim() === document.title) return onDone();
    rename.mutate({ id: document.id, title }, { onSuccess: onDone });
  };
  return (
    <form className="rename-form" onSubmit={onSubmit} onKeyDown={(event) => event.key === 'Escape' && onDone()}>
      <input
        className="input"
        aria-label={`New title for ${displayTitle(document.title)}`}
        value={title}
        maxLength={200}
        onChange={(event) => setTitle(event.target.value)}
        autoFocus
      />
      <button type="submit" className="button button-primary" disabled={rename.isPending}>
        Save
      </button>
      <button type="button" className="button" onClick={onDone}>
        Cancel
      </button>
      {rename.isError && (
        <p className="field-error" role="alert">
          {errorMessage(rename.error)}
        </p>
      )}
    </form>
  );
}

/** `onDelete` moves the document to the trash; no confirmation, since it can be undone. */
export function DocumentRow({ document, onDelete }: { document: DocumentSummary; onDelete: (document: DocumentSummary) => void }) {
  const [renaming, setRenaming] = useState(false);
  const title = displayTitle(document.title);
  const editor = document.updatedBy ?? document.createdBy;

  return (
    <li className="document-row" aria-label={title}>
      {renaming ? (
        <RenameForm document={document} onDone={() => setRenaming(false)} />
      ) : (
        <>
          <div className="document-main">
            <Link to={`/d/${encodeURIComponent(document.id)}`} className="document-title">
              {title}
            </Link>
            <p className="document-meta">
              <span className="role-badge" data-role={document.role}>
                {DOCUMENT_ROLE_LABELS[document.role]}
              </span>{' '}
              Edited <RelativeTime at={document.updatedAt} /> by {editor.name}
            </p>
          </div>
          {/* Only what this person's role allows: editors rename, owners also delete. */}
          <div className="document-actions">
            {document.role !== 'viewer' && (
              <button type="button" className="button button-quiet" onClick={() => setRenaming(true)} aria-label={`Rename ${title}`}>
                Rename
              </button>
            )}
            {document.role === 'owner' && (
              <button
                type="button"
                className="button button-quiet button-danger-text"
                onClick={() => onDelete(document)}
                aria-label={`Delete ${title}`}
              >
                Delete
              </button>
            )}
          </div>
        </>
      )}
    </li>
  );
}
