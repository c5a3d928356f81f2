/** Serves the built client, with the SPA fallback so deep links (`/d/:id`, `/activity`) load. */
import { Elysia } from 'elysia';
import { existsSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { chooseEncoding, PRECOMPRESSED } from './content-encoding.ts';
import { badRequest, notFound } from './problem.ts';

/**
 * `file`, or the variant the build pre-compressed next to it (`.br`, `.gz`) that the request
 * accepts, with the original's type and the sent body's length.
 */
function fileResponse(file: string, acceptEncoding: string | null, headers: Record<string, string>): Response {
  const available = PRECOMPRESSED.filter((variant) => existsSync(file + variant.extension));
  const variant = chooseEncoding(acceptEncoding, available);
  const body = Bun.file(variant ? file + variant.extension : file);
  const sent: Record<string, string> = { 'content-type': Bun.file(file).type, ...headers, 'content-length': String(body.size) };
  if (available.length > 0) sent.vary = 'Accept-Encoding';
  if (variant) sent['content-encoding'] = variant.encoding;
  return new Response(body, { headers: sent });
}

/** Static client routes; when `clientDir` has no build, non-API paths say how to build one. */
export function clientRoutes(clientDir: string | null) {
  const root = clientDir ? resolve(clientDir) : null;
  const index = root ? join(root, 'index.html') : null;
  return new Elysia({ name: 'client' }).get(
    '/*',
    ({ path, request }) => {
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
      const acceptEncoding = request.headers.get('accept-encoding');
      if (file.startsWith(root + '/') && existsSync(file) && statSync(file).isFile()) {
        const immutable = file.includes('/assets/');
        return fileResponse(file, acceptEncoding, { 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' });
      }
      return fileResponse(index, acceptEncoding, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    },
    { detail: { hide: true } },
  );
}
