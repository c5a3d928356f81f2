/** Routes of `/api/activity`: the paged history and the live stream. */
import { Elysia, t } from 'elysia';
import { requireSession } from '../../http/auth.ts';
import { badRequest, tooManyRequests } from '../../http/problem.ts';
import type { SessionService } from '../session/service.ts';
import type { ActivityService } from './service.ts';
import { activityStream } from './sse.ts';

const DocumentIdFilter = t.Optional(t.String({ minLength: 1, maxLength: 64 }));

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

/** Activity routes, behind a session. */
export function activityRoutes(activity: ActivityService, sessions: SessionService, options: ActivityRouteOptions) {
  return new Elysia({ prefix: '/api/activity', tags: ['activity'] })
    .use(requireSession(sessions))
    .get(
      '',
      ({ query }) => {
        const before = parseEventId(query.before, 'before');
        return activity.list(query.documentId ?? null, before, query.limit ?? 50);
      },
      {
        query: t.Object({
          documentId: DocumentIdFilter,
          before: t.Optional(t.String({ maxLength: 20 })),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        detail: { summary: 'Activity events, newest first' },
      },
    )
    .get(
      '/stream',
      ({ query, request, session, server }) => {
        // Without a resume point the stream starts now; the client reads history from GET /api/activity.
        const lastEventId = parseEventId(request.headers.get('last-event-id') || query.lastEventId, 'lastEventId');
        // Checked and subscribed in the same turn of the event loop, so a burst cannot slip past the caps.
        const open = activity.hub.streamsOf(session.id, session.user.id);
        if (open.session >= options.maxStreamsPerSession) {
          throw tooManyRequests(STREAM_RETRY_AFTER_SECONDS, `This session has ${options.maxStreamsPerSession} activity streams open already (MAX_STREAMS_PER_SESSION).`);
        }
        if (open.user >= options.maxStreamsPerUser) {
          throw tooManyRequests(STREAM_RETRY_AFTER_SECONDS, `This account has ${options.maxStreamsPerUser} activity streams open already (MAX_STREAMS_PER_USER).`);
        }
        // A stream is idle between events by design: exempt it from the server's idle timeout.
        server?.timeout(request, 0);
        const documentId = query.documentId ?? null;
        const body = activityStream(activity.hub, {
          documentId,
          sessionId: session.id,
          userId: session.user.id,
          lastEventId,
          heartbeatMs: options.heartbeatMs,
          maxBufferedBytes: options.maxBufferedBytes,
          since: (afterId, limit) => activity.since(afterId, documentId, limit),
          sessionValid: async () => (await sessions.authenticate(session.token)) !== null,
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
        query: t.Object({ documentId: DocumentIdFilter, lastEventId: t.Optional(t.String({ maxLength: 20 })) }),
        detail: { summary: 'Live activity as Server-Sent Events; resumes after Last-Event-ID' },
      },
    );
}
