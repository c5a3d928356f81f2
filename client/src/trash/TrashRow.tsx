/** One deleted document: when it went, and a way back or out for good (behind a confirmation). */
import { useState } from 'react';
import type { DocumentDetail, TrashedDocument } from '../../../shared/dto.ts';
import { displayTitle } from '../activity/format.ts';
import { errorMessage } from '../api/problem.ts';
import { useDeleteForever, useRestoreFromTrash } from '../api/trash.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { RelativeTime } from '../time/RelativeTime.tsx';

export function TrashRow({ document, onRestored }: { document: TrashedDocument; onRestored: (restored: DocumentDetail) => void }) {
  const [confirming, setConfirming] = useState(false);
  const restore = useRestoreFromTrash();
  const remove = useDeleteForever();
  const title = displayTitle(document.title);
  return (
    <li className="document-row" aria-label={title}>
      <div className="document-main">
        <span className="document-title">{title}</span>
        <p className="document-meta">
          Deleted <RelativeTime at={document.deletedAt} /> · created by {document.createdBy.name}
        </p>
        {restore.isError && (
          <p className="field-error" role="alert">
            {errorMessage(restore.error)}
          </p>
        )}
      </div>
      <div className="document-actions">
        <button
          type="button"
          className="button"
          aria-label={`Restore ${title}`}
          disabled={restore.isPending}
          onClick={() => restore.mutate(document.id, { onSuccess: onRestored })}
        >
          Restore
        </button>
        <button type="button" className="button button-quiet button-danger-text" aria-label={`Delete ${title} forever`} onClick={() => setConfirming(true)}>
          Delete forever
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Delete forever?"
        confirmLabel="Delete forever"
        busy={remove.isPending}
        error={remove.isError ? errorMessage(remove.error) : null}
        onCancel={() => {
          setConfirming(false);
          remove.reset();
        }}
        onConfirm={() => remove.mutate(document.id, { onSuccess: () => setConfirming(false) })}
      >
        <p>“{title}”, its history and its activity will be gone for good. This cannot be undone.</p>
      </ConfirmDialog>
    </li>
  );
}
