/** `/join/:code`: accepting an invitation, which names who sent it and, perhaps, for which address. */
import { Link, useParams } from 'wouter';
import { AccountForm } from '../account/AccountForm.tsx';
import { AuthCard } from '../account/AuthCard.tsx';
import { ssoStartUrl } from '../account/ssoErrors.ts';
import { errorMessage, hasStatus } from '../api/problem.ts';
import { useAuthConfig } from '../api/session.ts';
import { useInvite } from '../api/users.ts';

export function JoinPage() {
  const { code = '' } = useParams();
  const invite = useInvite(code);
  const config = useAuthConfig();

  if (invite.isPending) {
    return (
      <AuthCard title="Join Quire">
        <p className="muted" aria-busy="true">
          Checking your invitation…
        </p>
      </AuthCard>
    );
  }
  if (invite.isError) {
    const gone = hasStatus(invite.error, 404);
    return (
      <AuthCard title={gone ? 'This invitation cannot be used' : 'Join Quire'}>
        <p role="alert">
          {gone
            ? 'It was already used, has expired, or the link is incomplete. Ask whoever invited you for a new one.'
            : `The invitation could not be checked. ${errorMessage(invite.error)}`}
        </p>
        {!gone && (
          <button type="button" className="button" onClick={() => void invite.refetch()}>
            Try again
          </button>
        )}
        <p className="sign-in-footer">
          Have an account already? <Link to="/">Sign in</Link>
        </p>
      </AuthCard>
    );
  }
  const { invitedBy, role, email } = invite.data;
  return (
    <AuthCard
      title="Join Quire"
      intro={
        <p>
          <strong>{invitedBy.name}</strong> invited you to write together in Quire
          {role === 'admin' ? ', as an administrator' : ''}. Create your account to accept.
        </p>
      }
    >
      <AccountForm submitLabel="Create account and join" invite={code} fixedEmail={email} />
      {config.data?.oidc && (
        <>
          <p className="divider" aria-hidden="true">
            or
          </p>
          <a className="button button-block" href={ssoStartUrl('/', code)}>
            Join with single sign-on
          </a>
        </>
      )}
      <p className="sign-in-footer">
        Have an account already? <Link to="/">Sign in</Link>
      </p>
    </AuthCard>
  );
}
