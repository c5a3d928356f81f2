/**
 * Pages that need the editor (Tiptap, Yjs: most of the bundle), loaded when first shown, so the
 * list, the feed and the sign-in screen load without it.
 */
import { lazy } from 'react';

export const EditorPage = lazy(() => import('../pages/EditorPage.tsx').then((module) => ({ default: module.EditorPage })));

export const SharedLinkPage = lazy(() => import('../pages/SharedLinkPage.tsx').then((module) => ({ default: module.SharedLinkPage })));

/** What shows while the editor's code loads. */
export function EditorFallback() {
  return (
    <main className="page page-wide" id="main">
      <p className="muted" aria-busy="true">
        Opening document…
      </p>
    </main>
  );
}
