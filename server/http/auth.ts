/** Finds the caller's session: `Authorization: Bearer`, the `quire_session` cookie, or (sockets) `?token=`. */
import { Elysia } from 'elysia';
import type { Session, SessionService } from '../modules/session/service.ts';
import { unauthenticated } from './problem.ts';

export const SESSION_COOKIE = 'quire_session';

function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return null;
}

/**
 * The token a request carries. The query parameter is accepted only where a client cannot set
 * headers (WebSocket upgrades), so tokens do not end up in ordinary access logs.
 */
export function requestToken(request: Request, allowQuery = false): string | null {
  const authorization = request.headers.get('authorization');
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim();
  if (allowQuery) {
    const query = new URL(request.url).searchParams.get('token');
    if (query) return query;
  }
  return cookieValue(request.headers.get('cookie'), SESSION_COOKIE);
}

/**
 * Adds `session` to every route after it, answering 401 when there is none. Unnamed on purpose:
 * Elysia would serialise a named plugin's seed (the service, its secret and, in a cluster, its
 * cyclic Redis clients) to deduplicate it.
 */
export function requireSession(sessions: SessionService) {
  return new Elysia().resolve({ as: 'scoped' }, async ({ request }): Promise<{ session: Session }> => {
    const session = await sessions.authenticate(requestToken(request));
    if (!session) throw unauthenticated();
    return { session };
  });
}
