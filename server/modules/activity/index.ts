/** Routes of `/api/activity`: the paged history and the live stream. */
import { Elysia, t } from 'elysia';
import { requireAccount, resolveCaller, type Caller } from '../../http/auth.ts';
import { badRequest, tooManyRequests } from '../../http/problem.ts';
import type { Reader } from '../../storage/store.ts';
import { subjectOf, type AccessService } from '../access/service.ts';
import type { SessionService } from '../session/service.ts';
import type { ActivityService } from './service.ts';
import { activityStream } from './sse.ts';

const DocumentIdFilter = t.Optional(t.String({ minLength: 1, maxLength: 64 }));
/** A secret link token, where `EventSource` cannot send the `Quire-Share` header. */
const ShareParam = t.Optional(t.String({ maxLength: 64 }));

/** An event id from a query or header; absent or empty is null. */
function parseEventId(value: string | null | undefined, field: string): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (!/^\d{1,15}$/.test(value)) throw badRequest(`${field} must be an event id`, [field]);
  return Number(value);
}

/** Options of the stream that tests and operators may tune. */
export interface ActivityRouteOptions {
  heartbeatMs: number;
  maxBufferedBytes: number;
  /** Open streams per session and per account; past them a new stream is refused with 429. */
  maxStreamsPerSession: number;
  maxStreamsPerUser: number;
}

/** Seconds a refused stream is told to wait (one frees when a reader goes away). */
const STREAM_RETRY_AFTER_SECONDS = 10;

/**
 * Whose activity a request may see: one document's, once the caller may read it (an account, or
 * a visitor with its link), or every document the caller's account may read (filtered in storage).
 */
async function scopeOf(access: AccessService, caller: Caller, documentId: string | null): Promise<Reader | null> {
  if (documentId !== null) {
    await access.requireActivityReader(documentId, caller);
    return null;
  }
  const user = requireAccount(caller);
  return { userId: user.id, admin: user.role === 'admin' };
}

/** Activity routes: behind a session, or a link for one document's activity. */
export function activityRoutes(activity: ActivityService, access: AccessService, sessions: SessionService, options: ActivityRouteOptions) {
  return new Elysia({ prefix: '/api/activity', tags: ['activity'] })
    .use(resolveCaller(sessions))
    .get(
      '',
      async ({ query, caller }) => {
        const before = parseEventId(query.before, 'before');
        const documentId = query.documentId ?? null;
        return activity.list(documentId, before, query.limit ?? 50, await scopeOf(access, caller, documentId));
      },
      {
        query: t.Object({
          documentId: DocumentIdFilter,
          before: t.Optional(t.String({ maxLength: 20 })),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: 200, default: 50 })),
          share: ShareParam,
        }),
        detail: { summary: 'Activity events of the documents the caller can read, newest first' },
      },
    )
    .get(
      '/stream',
      async ({ query, request, caller, server }) => {
        // Without a resume point the stream starts now; the client reads history from GET /api/activity.
        const lastEventId = parseEventId(request.headers.get('last-event-id') || query.lastEventId, 'lastEventId');
        const documentId = query.documentId ?? null;
        const reader = await scopeOf(access, caller, documentId);
        // A visitor with a link is counted by its link, as one session and one account.
        const sessionId = caller.session?.id ?? `link:${caller.shareToken}`;
        const userId = caller.user?.id ?? sessionId;
        // Checked and subscribed in the same turn of the event loop, so a burst cannot slip past the caps.
        const open = activity.hub.streamsOf(sessionId, userId);
        if (open.session >= options.maxStreamsPerSession) {
          throw tooManyRequests(STREAM_RETRY_AFTER_SECONDS, `This session has ${options.maxStreamsPerSession} activity streams open already (MAX_STREAMS_PER_SESSION).`);
        }
        if (open.user >= options.maxStreamsPerUser) {
          throw tooManyRequests(STREAM_RETRY_AFTER_SECONDS, `This account has ${options.maxStreamsPerUser} activity streams open already (MAX_STREAMS_PER_USER).`);
        }
        // A stream is idle between events by design: exempt it from the server's idle timeout.
        server?.timeout(request, 0);
        const subject = subjectOf(caller);
        const body = activityStream(activity.hub, {
          documentId,
          sessionId,
          userId,
          subject,
          lastEventId,
          heartbeatMs: options.heartbeatMs,
          maxBufferedBytes: options.maxBufferedBytes,
          since: (afterId, limit) => activity.since(afterId, documentId, limit, reader),
          // A session must still be live; a one-document stream must still be readable (a link can be reset).
          stillAllowed: async () => {
            if (caller.session && (await sessions.authenticate(caller.session.token)) === null) return false;
            return documentId === null || (await access.roleFor(documentId, subject)) !== null;
          },
        });
        return new Response(body, {
          headers: {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache, no-transform',
            connection: 'keep-alive',
            'x-accel-buffering': 'no',
          },
        });
      },
      {
        query: t.Object({ documentId: DocumentIdFilter, lastEventId: t.Optional(t.String({ maxLength: 20 })), share: ShareParam }),
        detail: { summary: 'Live activity as Server-Sent Events; resumes after Last-Event-ID' },
      },
    );
}
