/**
 * Registers the service worker that caches the app shell (built by vite-plugin-pwa) only once the
 * page has what it was opened for: on a document, once its editor is editable; elsewhere, once
 * the page has loaded. Precaching downloads the whole client, so it must never compete with a
 * first editable render on a slow network. Production builds only; the dev server has no worker.
 */
import { isEditorPath } from './pageModules.ts';

const SCRIPT_URL = '/sw.js';
/** A document that never becomes editable (deleted, no access, no network) still gets the worker after this. */
const EDITOR_WAIT_LIMIT_MS = 15_000;
/** The idle period the browser may wait for before registering. */
const IDLE_TIMEOUT_MS = 2_000;

let editorReady: () => void = () => {};
const editorIsReady = new Promise<void>((resolve) => (editorReady = resolve));

/** Called by the editor once it is editable with the document in it. */
export function markEditorReady(): void {
  editorReady();
}

function loaded(): Promise<void> {
  if (document.readyState === 'complete') return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
}

function idle(): Promise<void> {
  return new Promise((resolve) => {
    if ('requestIdleCallback' in window) requestIdleCallback(() => resolve(), { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(resolve, 0);
  });
}

/** Registers the worker when the page opened at `pathname` is ready for it (see above). */
export function registerServiceWorkerWhenReady(pathname: string): void {
  if (!('serviceWorker' in navigator)) return;
  const ready = isEditorPath(pathname)
    ? Promise.race([editorIsReady, new Promise<void>((resolve) => setTimeout(resolve, EDITOR_WAIT_LIMIT_MS))])
    : loaded();
  void ready
    .then(idle)
    // The worker takes over by itself (skipWaiting, clientsClaim): registering is all the page does,
    // so no workbox-window script rides along with the first visit.
    .then(() => navigator.serviceWorker.register(SCRIPT_URL))
    .catch(() => {
      // No worker (private mode, an http origin other than localhost): Quire works online as before.
    });
}
