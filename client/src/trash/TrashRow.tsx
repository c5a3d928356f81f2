/** One deleted document: when it went, and a way back or out for good (behind a confirmation). */
import type { DocumentDetail, TrashedDocument } from '../../../shared/dto.ts';
import { displayTitle } from '../activity/format.ts';
import { errorMessage } from '../api/problem.ts';
import { FormError } from '../components/FormField.tsx';
import { useDeleteForever, useRestoreFromTrash } from '../api/trash.ts';
import { ConfirmMutation } from '../components/ConfirmMutation.tsx';
import { RelativeTime } from '../time/RelativeTime.tsx';

export function TrashRow({ document, onRestored }: { document: TrashedDocument; onRestored: (restored: DocumentDetail) => void }) {
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
        <FormError message={restore.isError ? errorMessage(restore.error) : null} />
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
        <ConfirmMutation
          button={{ label: 'Delete forever', className: 'button button-quiet button-danger-text', ariaLabel: `Delete ${title} forever` }}
          title="Delete forever?"
          confirmLabel="Delete forever"
          mutation={remove}
          run={(done) => remove.mutate(document.id, { onSuccess: done })}
        >
          <p>“{title}”, its history and its activity will be gone for good. This cannot be undone.</p>
        </ConfirmMutation>
      </div>
    </li>
  );
}
