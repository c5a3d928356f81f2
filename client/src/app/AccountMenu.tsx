/** The signed-in user, with their settings, the admin page for admins, and signing out. */
import { useState } from 'react';
import { NavLink } from './NavLink.tsx';
import type { User } from '../../../shared/dto.ts';
import { useSignOut } from '../api/session.ts';
import { documentsWithUnsent } from '../collab/localCopies.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { Avatar } from '../people/Avatar.tsx';

export function AccountMenu({ user }: { user: User }) {
  const signOut = useSignOut();
  // Signing out deletes this browser's copies; edits never sent would go with them.
  const [unsentDocuments, setUnsentDocuments] = useState(0);
  const startSignOut = () => {
    const pending = documentsWithUnsent(user.id).size;
    if (pending > 0) setUnsentDocuments(pending);
    else signOut.mutate();
  };

  return (
    <nav className="account" aria-label="Account">
      <Avatar person={user} small />
      <span className="account-name" data-testid="account-name" title={user.email}>
        {user.name}
      </span>
      <NavLink to="/settings" className="button button-quiet">
        Settings
      </NavLink>
      {user.role === 'admin' && (
        <NavLink to="/admin" className="button button-quiet">
          Admin
        </NavLink>
      )}
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
    </nav>
  );
}
