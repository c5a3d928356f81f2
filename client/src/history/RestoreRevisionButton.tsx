/** "Restore this version", behind a confirmation: the document returns to it for everyone, as a new change. */
import type { Revision } from '../../../shared/dto.ts';
import { useRestoreRevision } from '../api/history.ts';
import { useKeptSession } from '../collab/keptSession.ts';
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
  // The document's session, kept open under this page: the restore becomes its editor's undo step.
  const undo = useKeptSession(documentId)?.session?.undo ?? null;
  return (
    <ConfirmMutation
      button={{ label: 'Restore this version', className: 'button button-primary' }}
      title="Restore this version?"
      confirmLabel="Restore"
      mutation={restore}
      run={(done) => {
        const nonce = undo?.expect();
        restore.mutate(
          { revisionId: revision.id, nonce },
          {
            onSuccess: (made) => {
              done();
              onRestored(made);
            },
            onError: () => {
              if (nonce !== undefined) undo?.forget(nonce);
            },
          },
        );
      }}
    >
      <p>
        The document returns to how it was on {absoluteTime(revision.createdAt)}, for everyone editing it right now. Nothing is lost: the
        version before the restore stays in the history and can be restored in turn, and back in the editor Undo takes the restore back.
      </p>
    </ConfirmMutation>
  );
}
