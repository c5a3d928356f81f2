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

/** Reads a body of unknown length (chunked), giving up with 413 as soon as it passes `limit`. */
async function readBounded(body: ReadableStream<Uint8Array>, limit: number): Promise<string> {
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
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Rejects oversized bodies (413) and non-JSON bodies (415) on `/api` with problem+json. A body
 * that declares its length is refused before it is read; a chunked one is read only up to the
 * limit.
 */
export function requestGuard(maxBodyBytes: number) {
  return new Elysia({ name: 'request-guard' })
    .onRequest(({ request }) => {
      if (!guarded(request)) return;
      const path = new URL(request.url).pathname;
      const declared = request.headers.get('content-length');
      const length = Number(declared ?? '0');
      if (length > maxBodyBytes) {
        return problemResponse(payloadTooLarge(`the body is ${length} bytes; the limit is ${maxBodyBytes}`), path);
      }
      const hasBody = length > 0 || (declared === null && request.headers.has('transfer-encoding'));
      if (hasBody && !JSON_TYPE.test(request.headers.get('content-type') ?? '')) {
        return problemResponse(new HttpError(415, 'Unsupported Media Type', 'send the body as application/json'), path);
      }
    })
    .onParse({ as: 'global' }, async ({ request }) => {
      if (!guarded(request) || request.headers.get('content-length') !== null || !request.body) return;
      const text = await readBounded(request.body, maxBodyBytes);
      if (text.trim() === '') return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw badRequest('the request body is not valid JSON');
      }
    });
}
