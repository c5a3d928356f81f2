/** Serves the built client, with the SPA fallback so deep links (`/d/:id`, `/activity`) load. */
import { Elysia } from 'elysia';
import { existsSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { badRequest, notFound } from './problem.ts';

/** Static client routes; when `clientDir` has no build, non-API paths say how to build one. */
export function clientRoutes(clientDir: string | null) {
  const root = clientDir ? resolve(clientDir) : null;
  const index = root ? join(root, 'index.html') : null;
  return new Elysia({ name: 'client' }).get(
    '/*',
    ({ path }) => {
      if (path.startsWith('/api/') || path === '/api') throw notFound(`no API route ${path}`);
      if (!root || !index || !existsSync(index)) throw notFound('the web client is not built: run `npm run build`');
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        throw badRequest('the path is not valid percent-encoded UTF-8');
      }
      // Source maps would publish the client's sources; the build may make them for debugging.
      if (decoded.endsWith('.map')) throw notFound(`no file ${path}`);
      const file = normalize(join(root, decoded));
      if (file.startsWith(root + '/') && existsSync(file) && statSync(file).isFile()) {
        const immutable = file.includes('/assets/');
        return new Response(Bun.file(file), {
          headers: { 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' },
        });
      }
      return new Response(Bun.file(index), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } });
    },
    { detail: { hide: true } },
  );
}
