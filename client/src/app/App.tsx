/** Routes, behind the sign-in gate; the activity stream runs for as long as someone is signed in. */
import { lazy, Suspense } from 'react';
import { Redirect, Route, Switch, useSearchParams } from 'wouter';
import type { User } from '../../../shared/dto.ts';
import { ActivityStreamProvider } from '../activity/ActivityStreamProvider.tsx';
import { errorMessage } from '../api/problem.ts';
import { useSession } from '../api/session.ts';
import { AlreadySignedInPage } from '../pages/AlreadySignedInPage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { AppLayout } from './AppLayout.tsx';
import { ActivityPage, AdminPage, DocumentListPage, DocumentSessionRoute, EditorPage, EditorRoute, HistoryPage, PageRoute, SettingsPage, SharedLinkPage, TrashPage } from './lazyPages.tsx';
import { NEXT_PARAM, safeReturnPath } from './returnPath.ts';

// Sign-in, sign-up and invitations: not the code of a signed-in visit.
const SignedOutApp = lazy(() => import('./SignedOutApp.tsx').then((module) => ({ default: module.SignedOutApp })));

function LoadingQuire() {
  return (
    <main className="centered" id="main" aria-busy="true">
      <p className="muted">Loading Quire…</p>
    </main>
  );
}

/** Signed in on the sign-in page: on to where it was asked to return. */
function SignedInRedirect() {
  const [params] = useSearchParams();
  return <Redirect to={safeReturnPath(params.get(NEXT_PARAM))} replace />;
}

/**
 * A document's editor and its history under one collaboration session (one Y.Doc, connection and
 * undo history). Both routes render this same element, so moving between them keeps it mounted.
 */
function DocumentPages({ user }: { user: User }) {
  return (
    <EditorRoute>
      <DocumentSessionRoute user={user}>
        <Switch>
          <Route path="/d/:id">
            <EditorPage user={user} />
          </Route>
          <Route path="/d/:id/history">
            <HistoryPage user={user} />
          </Route>
        </Switch>
      </DocumentSessionRoute>
    </EditorRoute>
  );
}

export function App() {
  const session = useSession();

  if (session.isPending) return <LoadingQuire />;
  if (session.isError && session.data === undefined) {
    return (
      <main className="centered" id="main">
        <div className="error-state" role="alert">
          <h1>Quire cannot reach its server</h1>
          <p>{errorMessage(session.error)}</p>
          <button type="button" className="button button-primary" onClick={() => void session.refetch()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  const user = session.data ?? null;
  if (user === null) {
    return (
      <Suspense fallback={<LoadingQuire />}>
        <SignedOutApp />
      </Suspense>
    );
  }

  const documentPages = <DocumentPages user={user} />;
  return (
    <ActivityStreamProvider key={user.id} userId={user.id}>
      <AppLayout user={user}>
        <Switch>
          <Route path="/">
            <PageRoute>
              <DocumentListPage />
            </PageRoute>
          </Route>
          <Route path="/d/:id">{documentPages}</Route>
          <Route path="/d/:id/history">{documentPages}</Route>
          <Route path="/s/:linkToken">
            <EditorRoute>
              <SharedLinkPage user={user} />
            </EditorRoute>
          </Route>
          <Route path="/activity">
            <PageRoute>
              <ActivityPage />
            </PageRoute>
          </Route>
          <Route path="/trash">
            <PageRoute>
              <TrashPage />
            </PageRoute>
          </Route>
          <Route path="/settings">
            <PageRoute>
              <SettingsPage user={user} />
            </PageRoute>
          </Route>
          <Route path="/admin">
            <PageRoute>
              <AdminPage user={user} />
            </PageRoute>
          </Route>
          <Route path="/join/:code">
            <AlreadySignedInPage user={user} />
          </Route>
          <Route path="/signin">
            <SignedInRedirect />
          </Route>
          <Route path="/signup">
            <Redirect to="/" replace />
          </Route>
          <Route>
            <NotFoundPage />
          </Route>
        </Switch>
      </AppLayout>
    </ActivityStreamProvider>
  );
}
