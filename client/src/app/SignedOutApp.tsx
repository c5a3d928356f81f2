/**
 * What a visitor who is not signed in sees: the first-run form on a server without accounts,
 * else sign-in (on any route, so deep links survive), sign-up when registration is open,
 * invitations at `/join/:code`, and documents shared by secret link at `/s/:linkToken`.
 */
import type { ReactNode } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import type { AuthConfig } from '../../../shared/dto.ts';
import { errorMessage } from '../api/problem.ts';
import { useAuthConfig } from '../api/session.ts';
import { FirstRunPage } from '../pages/FirstRunPage.tsx';
import { JoinPage } from '../pages/JoinPage.tsx';
import { SignInPage } from '../pages/SignInPage.tsx';
import { SignUpPage } from '../pages/SignUpPage.tsx';
import { AppFrame } from './AppLayout.tsx';
import { EditorRoute, SharedLinkPage } from './lazyPages.tsx';
import { signInPathTo } from './returnPath.ts';

/** The frame around a shared document for someone without an account: brand and a way to sign in. */
function GuestLayout({ children }: { children: ReactNode }) {
  const [pathname] = useLocation();
  return (
    <AppFrame
      header={
        <div className="account">
          <Link to={signInPathTo(pathname)} className="button">
            Sign in
          </Link>
        </div>
      }
    >
      {children}
    </AppFrame>
  );
}

function SignedOutRoutes({ config }: { config: AuthConfig }) {
  if (config.needsFirstAccount) return <FirstRunPage />;
  const signIn = <SignInPage config={config} />;
  return (
    <Switch>
      <Route path="/join/:code">
        <JoinPage />
      </Route>
      <Route path="/s/:linkToken">
        <GuestLayout>
          <EditorRoute>
            <SharedLinkPage user={null} />
          </EditorRoute>
        </GuestLayout>
      </Route>
      <Route path="/signup">{config.registration === 'open' ? <SignUpPage /> : signIn}</Route>
      <Route>{signIn}</Route>
    </Switch>
  );
}

export function SignedOutApp() {
  const config = useAuthConfig();
  if (config.isPending) {
    return (
      <main className="centered" id="main" aria-busy="true">
        <p className="muted">Loading Quire…</p>
      </main>
    );
  }
  if (config.isError) {
    return (
      <main className="centered" id="main">
        <div className="error-state" role="alert">
          <h1>Quire cannot reach its server</h1>
          <p>{errorMessage(config.error)}</p>
          <button type="button" className="button button-primary" onClick={() => void config.refetch()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  return <SignedOutRoutes config={config.data} />;
}
