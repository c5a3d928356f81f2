/**
 * Pages that need the editor (Tiptap, Yjs: most of the bundle), loaded when first shown, so the
 * list, the feed and the sign-in screen load without it.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { Loading } from '../components/LoadStates.tsx';

export const EditorPage = lazy(() => import('../pages/EditorPage.tsx').then((module) => ({ default: module.EditorPage })));

/** A document's history renders revisions with Tiptap too. */
export const HistoryPage = lazy(() => import('../history/HistoryPage.tsx').then((module) => ({ default: module.HistoryPage })));

export const SharedLinkPage = lazy(() => import('../pages/SharedLinkPage.tsx').then((module) => ({ default: module.SharedLinkPage })));

/** A page of the editor's, with what shows while its code loads. */
export function EditorRoute({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <main className="page page-wide" id="main">
          <Loading>Opening document…</Loading>
        </main>
      }
    >
      {children}
    </Suspense>
  );
}
