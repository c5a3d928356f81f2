/**
 * Gives every request a request id (the `X-Request-Id` a trusted proxy sent, else a new one),
 * answers with it in `X-Request-Id`, puts it on every log line of the request, and logs one
 * access line per request. The line names the route pattern (`/api/documents/:id`), never the
 * path or query as sent: those can carry secrets (a link token, an invite code, `?token=`).
 */
import { Elysia } from 'elysia';
import { enterLogContext, type Logger } from '../logger.ts';

/** What a proxy's id may look like to be adopted (nginx's `$request_id` is 32 hex digits). */
const FORWARDED_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Routes polled by machines: logged at debug so they do not drown the rest. */
const QUIET_ROUTES = new Set(['/healthz', '/metrics']);

interface RequestEntry {
  id: string;
  startedAt: number;
  /** The status of a `Response` the route or the error mapping returned. */
  status?: number;
}

const entries = new WeakMap<Request, RequestEntry>();

/** The id of a request (set before any route runs), e.g. to tag the sync connection it opens. */
export function requestIdOf(request: Request): string | undefined {
  return entries.get(request)?.id;
}

/** The request-id and access-log plugin; `trustForwardedId` adopts a proxy's `X-Request-Id`. */
export function requestLog(logger: Logger, trustForwardedId: boolean) {
  return new Elysia({ name: 'request-log' })
    .onRequest(({ request, set }) => {
      const forwarded = trustForwardedId ? request.headers.get('x-request-id') : null;
      const id = forwarded && FORWARDED_ID.test(forwarded) ? forwarded : crypto.randomUUID();
      entries.set(request, { id, startedAt: performance.now() });
      set.headers['x-request-id'] = id;
      enterLogContext({ requestId: id });
    })
    .mapResponse({ as: 'global' }, ({ request, responseValue }) => {
      const entry = entries.get(request);
      if (entry && responseValue instanceof Response) entry.status = responseValue.status;
    })
    .onAfterResponse({ as: 'global' }, ({ request, route, params, set }) => {
      const entry = entries.get(request);
      if (!entry) return;
      const upgraded = route.startsWith('/sync/') && entry.status === undefined;
      const fields: Record<string, unknown> = {
        method: request.method,
        route,
        status: upgraded ? 101 : (entry.status ?? (typeof set.status === 'number' ? set.status : 200)),
        ms: Math.round((performance.now() - entry.startedAt) * 10) / 10,
      };
      // Routes without parameters have none at all.
      const values: Record<string, string | undefined> = params ?? {};
      const documentId = values.documentId ?? (route.startsWith('/api/documents/:id') ? values.id : undefined);
      if (documentId) fields.documentId = documentId;
      if (QUIET_ROUTES.has(route)) logger.debug('request', fields);
      else logger.info('request', fields);
    });
}
