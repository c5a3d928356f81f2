/** An invitation link opened by someone who is signed in already. */
import { Link } from 'wouter';
import type { User } from '../../../shared/dto.ts';
import { usePageTitle } from '../components/hooks.ts';

export function AlreadySignedInPage({ user }: { user: User }) {
  usePageTitle('Invitation');
  return (
    <main className="page centered" id="main">
      <div className="notice">
        <h1>You are signed in already</h1>
        <p>
          You are signed in as {user.name} ({user.email}). To accept this invitation as someone else, sign out first and
          open the link again.
        </p>
        <Link to="/" className="button button-primary">
          Go to your documents
        </Link>
      </div>
    </main>
  );
}
