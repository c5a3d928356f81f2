/** "Restore this version", behind a confirmation: the document returns to it for everyone, as a new change. */
import { useState } from 'react';
import type { Revision } from '../../../shared/dto.ts';
import { useRestoreRevision } from '../api/history.ts';
import { errorMessage } from '../api/problem.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { absoluteTime } from '../time/relative.ts';

export function RestoreRevisionButton({
  documentId,
  revision,
  onRestored,
}: {
  documentId: string;
  revision: Revision;
  /** With the revision the restore made. */
  onRestored: (made: Revision) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const restore = useRestoreRevision(documentId);
  return (
    <>
      <button type="button" className="button button-primary" onClick={() => setConfirming(true)}>
        Restore this version
      </button>
      <ConfirmDialog
        open={confirming}
        title="Restore this version?"
        confirmLabel="Restore"
        busy={restore.isPending}
        error={restore.isError ? errorMessage(restore.error) : null}
        onCancel={() => {
          setConfirming(false);
          restore.reset();
        }}
        onConfirm={() =>
          restore.mutate(revision.id, {
            onSuccess: (made) => {
              setConfirming(false);
              onRestored(made);
            },
          })
        }
      >
        <p>
          The document returns to how it was on {absoluteTime(revision.createdAt)}, for everyone editing it right now. Nothing is lost:
          the version before the restore stays in the history and can be restored in turn.
        </p>
      </ConfirmDialog>
    </>
  );
}
