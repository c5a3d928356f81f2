/** Routes, behind the sign-in gate; the activity stream runs for as long as someone is signed in. */
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useSearchParams } from 'react-router';
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
  return <Navigate to={safeReturnPath(params.get(NEXT_PARAM))} replace />;
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

  return (
    <ActivityStreamProvider key={user.id} userId={user.id}>
      <Routes>
        <Route element={<AppLayout user={user} />}>
          <Route index element={<PageRoute><DocumentListPage /></PageRoute>} />
          {/* One collaboration session for a document's editor and its history (undo survives the trip). */}
          <Route
            path="d/:id"
            element={
              <EditorRoute>
                <DocumentSessionRoute user={user} />
              </EditorRoute>
            }
          >
            <Route index element={<EditorPage user={user} />} />
            <Route path="history" element={<HistoryPage user={user} />} />
          </Route>
          <Route
            path="s/:linkToken"
            element={
              <EditorRoute>
                <SharedLinkPage user={user} />
              </EditorRoute>
            }
          />
          <Route path="activity" element={<PageRoute><ActivityPage /></PageRoute>} />
          <Route path="trash" element={<PageRoute><TrashPage /></PageRoute>} />
          <Route path="settings" element={<PageRoute><SettingsPage user={user} /></PageRoute>} />
          <Route path="admin" element={<PageRoute><AdminPage user={user} /></PageRoute>} />
          <Route path="join/:code" element={<AlreadySignedInPage user={user} />} />
          <Route path="signin" element={<SignedInRedirect />} />
          <Route path="signup" element={<Navigate to="/" replace />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </ActivityStreamProvider>
  );
}
