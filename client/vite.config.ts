/**
 * Vite build and dev server for the Quire client. `npm run build` writes `client/dist`, which the
 * server serves, with a service worker that caches the app shell so documents opened before can
 * be opened and edited with no network; `npm run dev` proxies the API, the activity stream and
 * the sync socket to the server on port 3001 (and has no service worker).
 */
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';

const API_TARGET = process.env.QUIRE_API_URL ?? 'http://localhost:3001';
const ROOT = fileURLToPath(new URL('.', import.meta.url));

/** React's entry points, answered by Preact's compatibility layer (exact names, so `react-dom/client` is not read as `react-dom` + `/client`). */
const PREACT_FOR_REACT = [
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
];

/** What the boot script brings, in its own small chunk: it must not wait for the app's code. */
const BOOT_MODULES = /[\\/]client[\\/]src[\\/](boot|api[\\/]earlyRequests|app[\\/]pageModules)\.ts$|[\\/]shared[\\/]dto\.ts$/;

/** A document's page around the editor (the sync client, the sidebar), with what it imports. */
const DOCUMENT_PAGE = /[\\/]client[\\/]src[\\/]pages[\\/](DocumentSessionRoute|EditorPage)\.tsx$/;

/** The editor (Tiptap, ProseMirror, the Yjs binding), with what it imports. */
const EDITOR = /[\\/]client[\\/]src[\\/]editor[\\/]CollaborativeEditor\.tsx$/;

/**
 * Puts the boot entry (src/boot.ts) in the page as an `async` module script, so it runs as soon
 * as it arrives rather than after the whole app has (module scripts otherwise wait for the
 * document and run in order), with its imports preloaded beside it.
 */
function bootScript(): Plugin {
  return {
    name: 'quire-boot-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const chunks = Object.values(bundle ?? {});
        const boot = chunks.find((chunk) => chunk.type === 'chunk' && chunk.isEntry && chunk.name === 'boot');
        if (boot?.type !== 'chunk') throw new Error('the build has no boot chunk');
        return [
          { tag: 'script', attrs: { type: 'module', async: true, crossorigin: true, src: `/${boot.fileName}` }, injectTo: 'head-prepend' },
          ...boot.imports.map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head-prepend' as const })),
        ];
      },
    },
  };
}

export default defineConfig({
  root: ROOT,
  plugins: [
    react(),
    bootScript(),
    VitePWA({
      strategies: 'generateSW',
      // Registered by the app itself after the page has loaded (client/src/app/serviceWorker.ts),
      // so precaching never competes with the first editable render.
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: false,
      workbox: {
        // The built app: scripts (the lazily loaded editor too), styles, the page itself.
        globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2}'],
        // The editor chunk (Tiptap, Yjs) is over the 2 MiB default in unminified builds.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        // Deep links (/d/:id, /activity) open from the cached shell; server routes never do.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/sync(\/|$)/, /^\/healthz/, /^\/openapi/, /^\/metrics/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  resolve: {
    // Two copies of Yjs in one page break its `instanceof` checks ("Yjs was already imported").
    dedupe: ['yjs'],
    // The client is written against React's API and types, and runs on Preact's compatibility
    // layer: the same components (and Tiptap's React bindings, wouter, TanStack Query) in
    // about a fifth of React DOM's bytes on a first visit.
    alias: PREACT_FOR_REACT,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The editor chunk (Tiptap, Yjs) is loaded lazily on /d/:id; it is big by nature.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      input: { index: `${ROOT}index.html`, boot: `${ROOT}src/boot.ts` },
      output: {
        // A first visit to a document loads a few large chunks instead of thirty small ones: over
        // HTTP/1.1 the browser opens six connections to a host and queues the rest, a round trip
        // each. Groups, claimed in order, each with the modules its own import (those no earlier
        // group claimed): what the boot script needs (nothing else, so it runs as soon as it
        // arrives), the app's frame (every page's, modulepreloaded by the HTML), the document
        // page without the editor (enough to start syncing), the editor.
        codeSplitting: {
          groups: [
            { name: 'boot', test: BOOT_MODULES, priority: 4 },
            { name: 'app', tags: ['$initial'], priority: 3 },
            { name: 'document', test: DOCUMENT_PAGE, priority: 2 },
            { name: 'editor', test: EDITOR, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      // No changeOrigin: the server compares Origin with Host, and both stay the dev server's.
      '/api': {
        target: API_TARGET,
        configure: (proxy) => {
          // Server-Sent Events must reach the browser as they are written, never buffered.
          proxy.on('proxyRes', (res) => {
            if (res.headers['content-type']?.startsWith('text/event-stream')) {
              res.headers['cache-control'] = 'no-cache, no-transform';
              res.headers['x-accel-buffering'] = 'no';
            }
          });
        },
      },
      '/sync': { target: API_TARGET, ws: true },
      '/healthz': { target: API_TARGET },
    },
  },
});
