/**
 * Checks every API request before routing and before authentication: body size and content
 * type, whatever the method (a DELETE or GET can carry a body too, and Bun would read it).
 */
import { Elysia } from 'elysia';
import { HttpError, badRequest, payloadTooLarge, problemResponse } from './problem.ts';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

function guarded(request: Request): boolean {
  return new URL(request.url).pathname.startsWith('/api/');
}

/**
 * A route that takes a file (multipart/form-data) under its own body limit instead of
 * MAX_BODY_BYTES; it reads its body itself, with `readBoundedBytes`.
 */
export interface UploadRoute {
  method: string;
  path: RegExp;
  maxBytes: number;
}

/** Reads a body of unknown length (chunked), giving up with 413 as soon as it passes `limit`. */
export async function readBoundedBytes(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(`the body is over the limit of ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const MULTIPART_TYPE = /^multipart\/form-data\b/i;

/**
 * Rejects oversized bodies (413) and non-JSON bodies (415) on `/api` with problem+json. A body
 * that declares its length is refused before it is read; a chunked one is read only up to the
 * limit.
 */
export function requestGuard(maxBodyBytes: number, uploads: readonly UploadRoute[] = []) {
  const uploadOf = (request: Request, path: string) => uploads.find((route) => route.method === request.method && route.path.test(path));
  return new Elysia({ name: 'request-guard' })
    .onRequest(({ request }) => {
      if (!guarded(request)) return;
      const path = new URL(request.url).pathname;
      const upload = uploadOf(request, path);
      const limit = upload?.maxBytes ?? maxBodyBytes;
      const declared = request.headers.get('content-length');
      const length = Number(declared ?? '0');
      if (length > limit) {
        return problemResponse(payloadTooLarge(`the body is ${length} bytes; the limit is ${limit}`), path);
      }
      const hasBody = length > 0 || (declared === null && request.headers.has('transfer-encoding'));
      const type = request.headers.get('content-type') ?? '';
      if (hasBody && !(upload ? MULTIPART_TYPE : JSON_TYPE).test(type)) {
        const expected = upload ? 'multipart/form-data with the file in the field "file"' : 'application/json';
        return problemResponse(new HttpError(415, 'Unsupported Media Type', `send the body as ${expected}`), path);
      }
    })
    .onParse({ as: 'global' }, async ({ request }) => {
      if (!guarded(request) || request.headers.get('content-length') !== null || !request.body) return;
      if (uploadOf(request, new URL(request.url).pathname)) return;
      const text = Buffer.from(await readBoundedBytes(request.body, maxBodyBytes)).toString('utf8');
      if (text.trim() === '') return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw badRequest('the request body is not valid JSON');
      }
    });
}
