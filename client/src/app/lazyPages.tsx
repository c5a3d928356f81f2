/**
 * Every page but the frame is loaded when first shown, so each URL fetches only its own code: the
 * editor's pages (Tiptap, Yjs: most of the bundle) stay out of the list, the feed and the sign-in
 * screen, and the other pages out of a first visit to a document.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { Loading } from '../components/LoadStates.tsx';

const loadEditorPage = () => import('../pages/EditorPage.tsx');
const loadEditor = () => import('../editor/CollaborativeEditor.tsx');

const loadDocumentSession = () => import('../pages/DocumentSessionRoute.tsx');

export const EditorPage = lazy(() => loadEditorPage().then((module) => ({ default: module.EditorPage })));

/** What keeps a document's collaboration open across its editor and its history (Yjs: not for other pages). */
export const DocumentSessionRoute = lazy(() => loadDocumentSession().then((module) => ({ default: module.DocumentSessionRoute })));

/**
 * The editor itself (Tiptap, ProseMirror) apart from the page around it, so the document's
 * details and its sync connection are fetched while the editor's code is still arriving.
 */
export const CollaborativeEditor = lazy(() => loadEditor().then((module) => ({ default: module.CollaborativeEditor })));

/** A document's history renders revisions with Tiptap too. */
export const HistoryPage = lazy(() => import('../history/HistoryPage.tsx').then((module) => ({ default: module.HistoryPage })));

export const SharedLinkPage = lazy(() => import('../pages/SharedLinkPage.tsx').then((module) => ({ default: module.SharedLinkPage })));

export const DocumentListPage = lazy(() => import('../pages/DocumentListPage.tsx').then((module) => ({ default: module.DocumentListPage })));
export const ActivityPage = lazy(() => import('../pages/ActivityPage.tsx').then((module) => ({ default: module.ActivityPage })));
export const TrashPage = lazy(() => import('../trash/TrashPage.tsx').then((module) => ({ default: module.TrashPage })));
export const SettingsPage = lazy(() => import('../pages/SettingsPage.tsx').then((module) => ({ default: module.SettingsPage })));
export const AdminPage = lazy(() => import('../pages/AdminPage.tsx').then((module) => ({ default: module.AdminPage })));

/** Whether `pathname` opens a document in the editor (`/d/:id`). */
export function isEditorPath(pathname: string): boolean {
  return /^\/d\/[^/]+\/?$/.test(pathname);
}

/**
 * On a document's URL, starts fetching the editor's code at once, beside the session check,
 * rather than after it: on a slow network that is one round trip and the bundle's transfer saved.
 */
export function preloadPageOf(pathname: string): void {
  if (!isEditorPath(pathname)) return;
  void loadDocumentSession();
  void loadEditorPage();
  void loadEditor();
}

/** A lazily loaded page, with a notice in its place while its code loads. */
function Deferred({ wide, notice, children }: { wide: boolean; notice: string; children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <main className={wide ? 'page page-wide' : 'page'} id="main">
          <Loading>{notice}</Loading>
        </main>
      }
    >
      {children}
    </Suspense>
  );
}

/** A page of the editor's, with what shows while its code loads. */
export function EditorRoute({ children }: { children: ReactNode }) {
  return <Deferred wide notice="Opening document…">{children}</Deferred>;
}

/** Any other page, with what shows while its code loads. */
export function PageRoute({ children }: { children: ReactNode }) {
  return <Deferred wide={false} notice="Loading…">{children}</Deferred>;
}
