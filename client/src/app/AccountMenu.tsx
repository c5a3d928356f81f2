/** The signed-in user's name, with changing it and signing out. */
import { useId, useState } from 'react';
import type { User } from '../../../shared/dto.ts';
import { useSignOut } from '../api/session.ts';
import { caretColor, initials } from '../collab/presence.ts';
import { SignInForm } from '../components/SignInForm.tsx';
import { useModalDialog } from '../components/useModalDialog.ts';

export function AccountMenu({ user }: { user: User }) {
  const [renaming, setRenaming] = useState(false);
  const dialog = useModalDialog(renaming);
  const titleId = useId();
  const signOut = useSignOut();


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
      <button type="button" className="button button-quiet" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
        Sign out
      </button>
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
