/** The signed-in user's name, with changing it and signing out. */
import { useId, useState } from 'react';
import type { User } from '../../../shared/dto.ts';
import { useSignOut } from '../api/session.ts';
import { documentsWithUnsent } from '../collab/localCopies.ts';
import { caretColor, initials } from '../collab/presence.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { SignInForm } from '../components/SignInForm.tsx';
import { useModalDialog } from '../components/useModalDialog.ts';

export function AccountMenu({ user }: { user: User }) {
  const [renaming, setRenaming] = useState(false);
  const dialog = useModalDialog(renaming);
  const titleId = useId();
  const signOut = useSignOut();
  // Signing out deletes this browser's copies; edits never sent would go with them.
  const [unsentDocuments, setUnsentDocuments] = useState(0);
  const startSignOut = () => {
    const pending = documentsWithUnsent(user.id).size;
    if (pending > 0) setUnsentDocuments(pending);
    else signOut.mutate();
  };

  return (
    <div className="account">
      <span className="avatar avatar-small" style={{ backgroundColor: caretColor(user.color, user.id) }} aria-hidden="true">
        {initials(user.name)}
      </span>
      <span className="account-name" data-testid="account-name">
        {user.name}
      </span>
      <button type="button" className="button button-quiet" onClick={() => setRenaming(true)}>
        Change name
      </button>
      <button type="button" className="button button-quiet" onClick={startSignOut} disabled={signOut.isPending}>
        Sign out
      </button>
      <ConfirmDialog
        open={unsentDocuments > 0}
        title="Sign out and lose unsent changes?"
        confirmLabel="Sign out anyway"
        busy={signOut.isPending}
        onConfirm={() => signOut.mutate(undefined, { onSettled: () => setUnsentDocuments(0) })}
        onCancel={() => setUnsentDocuments(0)}
      >
        <p>
          {unsentDocuments === 1 ? 'One document has' : `${unsentDocuments} documents have`} changes that never reached the
          server. Signing out deletes them from this browser.
        </p>
      </ConfirmDialog>
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby={titleId}
        onCancel={(event) => {
          event.preventDefault();
          setRenaming(false);
        }}
      >
        <h2 id={titleId}>Change your name</h2>
        {renaming && (
          <SignInForm
            initialName={user.name}
            submitLabel="Save name"
            onDone={() => setRenaming(false)}
            onCancel={() => setRenaming(false)}
          />
        )}
      </dialog>
    </div>
  );
}
