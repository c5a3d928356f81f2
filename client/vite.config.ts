/**
 * Vite build and dev server for the Quire client. `npm run build` writes `client/dist`, which the
 * server serves, with a service worker that caches the app shell so documents opened before can
 * be opened and edited with no network; `npm run dev` proxies the API, the activity stream and
 * the sync socket to the server on port 3001 (and has no service worker).
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';

const API_TARGET = process.env.QUIRE_API_URL ?? 'http://localhost:3001';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [
    react(),
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
  // Two copies of Yjs in one page break its `instanceof` checks ("Yjs was already imported").
  resolve: { dedupe: ['yjs'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The editor chunk (Tiptap, Yjs) is loaded lazily on /d/:id; it is big by nature.
    chunkSizeWarningLimit: 600,
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
