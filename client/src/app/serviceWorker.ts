/**
 * Registers the service worker that caches the app shell (built by vite-plugin-pwa), once the
 * page has loaded: precaching must never delay the first editable render. Production builds only;
 * the dev server has no worker.
 */
import { Workbox } from 'workbox-window';

const SCRIPT_URL = '/sw.js';

export function registerServiceWorkerAfterLoad(): void {
  if (!('serviceWorker' in navigator)) return;
  const register = () => {
    void new Workbox(SCRIPT_URL).register().catch(() => {
      // No worker (private mode, an http origin other than localhost): Quire works online as before.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
