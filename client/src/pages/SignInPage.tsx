/**
 * Shown to signed-out visitors on any route; the route stays, so a deep link opens once they are
 * in. `/signin?error=<code>` is where a refused single sign-on comes back to.
 */
import { Link, useLocation, useSearchParams } from 'wouter';
import type { AuthConfig } from '../../../shared/dto.ts';
import { AuthCard } from '../account/AuthCard.tsx';
import { SignInForm } from '../account/SignInForm.tsx';
import { ssoErrorMessage, ssoStartUrl } from '../account/ssoErrors.ts';
import { NEXT_PARAM, safeReturnPath } from '../app/returnPath.ts';

/** Where to return after signing in: this page, unless it is one of the signed-out ones; from `/signin`, its `?next=`. */
function returnPath(pathname: string, search: string): string {
  if (pathname === '/signin') return safeReturnPath(new URLSearchParams(search).get(NEXT_PARAM));
  return pathname === '/signup' || pathname.startsWith('/join/') ? '/' : `${pathname}${search}`;
}

export function SignInPage({ config }: { config: AuthConfig }) {
  const [pathname] = useLocation();
  const [params] = useSearchParams();
  const ssoError = pathname === '/signin' ? params.get('error') : null;

  return (
    <AuthCard title="Sign in to Quire" intro={<p>Write together, in real time.</p>}>
      {ssoError !== null && (
        <p className="field-error sign-in-alert" role="alert">
          {ssoErrorMessage(ssoError)}
        </p>
      )}
      <SignInForm />
      {config.oidc && (
        <>
          <p className="divider" aria-hidden="true">
            or
          </p>
          <a className="button button-block" href={ssoStartUrl(returnPath(pathname, params.size === 0 ? '' : `?${params}`))}>
            Sign in with single sign-on
          </a>
        </>
      )}
      {config.registration === 'open' && (
        <p className="sign-in-footer">
          New here? <Link to="/signup">Create an account</Link>
        </p>
      )}
      {config.registration === 'invite' && <p className="sign-in-footer muted small">New here? Ask an administrator for an invitation link.</p>}
    </AuthCard>
  );
}
