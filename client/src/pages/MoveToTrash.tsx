/**
 * Deleting from the list: the document moves to the trash at once and the list says so, with an
 * Undo that brings it straight back (the same restore the trash page offers).
 */
import { useState } from 'react';
import { Link } from 'wouter';
import type { DocumentSummary } from '../../../shared/dto.ts';
import { displayTitle } from '../activity/format.ts';
import { useDeleteDocument } from '../api/documents.ts';
import { errorMessage } from '../api/problem.ts';
import { useRestoreFromTrash } from '../api/trash.ts';

/** The list's delete action and what its notice shows. */
export function useMoveToTrash() {
  const [last, setLast] = useState<DocumentSummary | null>(null);
  const remove = useDeleteDocument();
  const restore = useRestoreFromTrash();
  const moveToTrash = (document: DocumentSummary) => {
    restore.reset();
    setLast(document);
    remove.mutate(document.id);
  };
  const undo = () => {
    if (last !== null) restore.mutate(last.id, { onSuccess: () => setLast(null) });
  };
  const dismiss = () => {
    setLast(null);
    remove.reset();
    restore.reset();
  };
  return { moveToTrash, notice: { document: last, remove, restore, undo, dismiss } };
}

/** "Moved to trash", with Undo; or why it could not be. A live region, so the change is heard too. */
export function MoveToTrashNotice({ notice }: { notice: ReturnType<typeof useMoveToTrash>['notice'] }) {
  const { document, remove, restore, undo, dismiss } = notice;
  const title = document === null ? '' : displayTitle(document.title);
  return (
    <div role="status" className="page-status">
      {document !== null && remove.isError && (
        <p className="field-error">
          “{title}” could not be moved to the trash. {errorMessage(remove.error)}
        </p>
      )}
      {document !== null && remove.isSuccess && (
        <p className="trash-notice">
          Moved “{title}” to the <Link to="/trash">trash</Link>.{' '}
          <button type="button" className="button button-quiet" onClick={undo} disabled={restore.isPending}>
            Undo
          </button>
          <button type="button" className="button button-quiet" onClick={dismiss} aria-label="Dismiss">
            ×
          </button>
          {restore.isError && <span className="field-error">{errorMessage(restore.error)}</span>}
        </p>
      )}
    </div>
  );
}
