/**
 * Every page but the frame is loaded when first shown, so each URL fetches only its own code: the
 * editor's pages (Tiptap, Yjs: most of the bundle) stay out of the list, the feed and the sign-in
 * screen, and the other pages out of a first visit to a document (whose code the boot script
 * starts fetching, see pageModules.ts).
 */
import { lazy, Suspense, useState, type ComponentType, type ReactNode } from 'react';
import { Loading } from '../components/LoadStates.tsx';
import { loadDocumentSession, loadEditor, loadEditorPage, type ModuleLoad } from './pageModules.ts';

/**
 * A page whose module is fetched by `load`. Rendered after the module has arrived (the boot
 * script fetched it ahead), it renders at once: React.lazy would suspend once more and show its
 * fallback for a frame, and each suspension on the way to the editor delays it.
 */
function lazyPage<M, P extends object>(load: ModuleLoad<M>, pick: (module: M) => ComponentType<P>): ComponentType<P> {
  const Lazy = lazy(() => load().then((module) => ({ default: pick(module) })));
  return function Page(props: P) {
    // Chosen once per mount: switching from the lazy wrapper to the component would remount it.
    const [Component] = useState<ComponentType<P>>(() => (load.loaded === undefined ? Lazy : pick(load.loaded)));
    return <Component {...props} />;
  };
}

export const EditorPage = lazyPage(loadEditorPage, (module) => module.EditorPage);

/** What keeps a document's collaboration open across its editor and its history (Yjs: not for other pages). */
export const DocumentSessionRoute = lazyPage(loadDocumentSession, (module) => module.DocumentSessionRoute);

/**
 * The editor itself (Tiptap, ProseMirror) apart from the page around it, so the document's
 * details and its sync connection are fetched while the editor's code is still arriving.
 */
export const CollaborativeEditor = lazyPage(loadEditor, (module) => module.CollaborativeEditor);

/** A document's history renders revisions with Tiptap too. */
export const HistoryPage = lazy(() => import('../history/HistoryPage.tsx').then((module) => ({ default: module.HistoryPage })));

export const SharedLinkPage = lazy(() => import('../pages/SharedLinkPage.tsx').then((module) => ({ default: module.SharedLinkPage })));

export const DocumentListPage = lazy(() => import('../pages/DocumentListPage.tsx').then((module) => ({ default: module.DocumentListPage })));
export const ActivityPage = lazy(() => import('../pages/ActivityPage.tsx').then((module) => ({ default: module.ActivityPage })));
export const TrashPage = lazy(() => import('../trash/TrashPage.tsx').then((module) => ({ default: module.TrashPage })));
export const SettingsPage = lazy(() => import('../pages/SettingsPage.tsx').then((module) => ({ default: module.SettingsPage })));
export const AdminPage = lazy(() => import('../pages/AdminPage.tsx').then((module) => ({ default: module.AdminPage })));

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
