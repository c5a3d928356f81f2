/** `/admin`: invitations and the people of this Quire server (administrators only). */
import { useId } from 'react';
import { Link } from 'wouter';
import type { User } from '../../../shared/dto.ts';
import { InviteForm } from '../admin/InviteForm.tsx';
import { PeopleTable } from '../admin/PeopleTable.tsx';
import { usePageTitle } from '../components/hooks.ts';

export function AdminPage({ user }: { user: User }) {
  usePageTitle('Admin');
  const inviteId = useId();
  const peopleId = useId();
  if (user.role !== 'admin') {
    return (
      <main className="page centered" id="main">
        <div className="notice">
          <h1>Only administrators can open this page</h1>
          <p>Ask an administrator to invite people or change accounts.</p>
          <Link to="/" className="button button-primary">
            Go to your documents
          </Link>
        </div>
      </main>
    );
  }
  return (
    <main className="page admin-page" id="main">
      <h1>Admin</h1>
      <section className="card settings-section" aria-labelledby={inviteId}>
        <h2 id={inviteId}>Invite someone</h2>
        <InviteForm />
      </section>
      <section className="card settings-section" aria-labelledby={peopleId}>
        <h2 id={peopleId}>People</h2>
        <PeopleTable user={user} />
      </section>
    </main>
  );
}
