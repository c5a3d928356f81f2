/** An owner replaces the secret link, after saying yes: whoever holds the old one loses it. */
import { useState } from 'react';
import { useResetLink } from '../api/access.ts';
import { errorMessage } from '../api/problem.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';

export function ResetLinkButton({ documentId }: { documentId: string }) {
  const [confirming, setConfirming] = useState(false);
  const reset = useResetLink(documentId);
  return (
    <>
      <button type="button" className="button button-quiet" onClick={() => setConfirming(true)}>
        Reset link
      </button>
      {reset.isSuccess && (
        <p className="muted small" role="status">
          A new link is ready; the old one no longer works.
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        title="Reset the link?"
        confirmLabel="Reset link"
        busy={reset.isPending}
        error={reset.isError ? errorMessage(reset.error) : null}
        onCancel={() => {
          setConfirming(false);
          reset.reset();
        }}
        onConfirm={() => reset.mutate(undefined, { onSuccess: () => setConfirming(false) })}
      >
        <p>The current link stops working for everyone who has it. People listed by name keep their access.</p>
      </ConfirmDialog>
    </>
  );
}
