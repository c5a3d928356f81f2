/** Checks every API request before routing: body size and content type. */
import { Elysia } from 'elysia';
import { HttpError, payloadTooLarge, problemResponse } from './problem.ts';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Rejects oversized bodies (413) and non-JSON bodies (415) on `/api` with problem+json. */
export function requestGuard(maxBodyBytes: number) {
  return new Elysia({ name: 'request-guard' }).onRequest(({ request }) => {
    if (!METHODS_WITH_BODY.has(request.method)) return;
    const path = new URL(request.url).pathname;
    if (!path.startsWith('/api/')) return;
    const length = Number(request.headers.get('content-length') ?? '0');
    if (length > maxBodyBytes) {
      return problemResponse(payloadTooLarge(`the body is ${length} bytes; the limit is ${maxBodyBytes}`), path);
    }
    const type = request.headers.get('content-type') ?? '';
    if (length > 0 && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
      return problemResponse(new HttpError(415, 'Unsupported Media Type', 'send the body as application/json'), path);
    }
  });
}
