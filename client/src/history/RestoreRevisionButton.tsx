/** "Restore this version", behind a confirmation: the document returns to it for everyone, as a new change. */
import type { Revision } from '../../../shared/dto.ts';
import { useRestoreRevision } from '../api/history.ts';
import { ConfirmMutation } from '../components/ConfirmMutation.tsx';
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
  const restore = useRestoreRevision(documentId);
  return (
    <ConfirmMutation
      button={{ label: 'Restore this version', className: 'button button-primary' }}
      title="Restore this version?"
      confirmLabel="Restore"
      mutation={restore}
      run={(done) =>
        restore.mutate(revision.id, {
          onSuccess: (made) => {
            done();
            onRestored(made);
          },
        })
      }
    >
      <p>
        The document returns to how it was on {absoluteTime(revision.createdAt)}, for everyone editing it right now. Nothing is lost: the
        version before the restore stays in the history and can be restored in turn.
      </p>
    </ConfirmMutation>
  );
}
