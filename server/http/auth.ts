/**
 * Finds the caller's session (`Authorization: Bearer`, the `quire_session` cookie, or on sockets
 * `?token=`) and the secret link token a request may carry instead (`Quire-Share`, or `?share=`).
 */
import { Elysia } from 'elysia';
import { SHARE_HEADER, SHARE_PARAM, type User } from '../../shared/dto.ts';
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

/** Who is asking: a signed-in session (or none), and the secret link token the request carries. */
export interface Caller {
  session: Session | null;
  user: User | null;
  /** A link token from `Quire-Share`, or from the `share` query parameter where headers cannot be set. */
  shareToken: string | null;
}

/** Longest link token accepted (they are 22 characters; anything far longer is junk). */
const MAX_SHARE_TOKEN_LENGTH = 64;

/** The link token a request carries, if any. */
export function requestShareToken(request: Request): string | null {
  const token = request.headers.get(SHARE_HEADER) ?? new URL(request.url).searchParams.get(SHARE_PARAM);
  const trimmed = token?.trim();
  return trimmed && trimmed.length <= MAX_SHARE_TOKEN_LENGTH ? trimmed : null;
}

/**
 * Adds `caller` to every route after it. A request needs a session or a link token: with
 * neither it is answered 401. Routes that need an account call `requireAccount`.
 */
export function resolveCaller(sessions: SessionService) {
  return new Elysia().resolve({ as: 'scoped' }, async ({ request }): Promise<{ caller: Caller }> => {
    const session = await sessions.authenticate(requestToken(request));
    const shareToken = requestShareToken(request);
    if (!session && !shareToken) throw unauthenticated();
    return { caller: { session, user: session?.user ?? null, shareToken } };
  });
}

/** Whom per-caller limits count a request against: its account, or the link a visitor holds. */
export function callerKey(caller: Caller): string {
  return caller.user?.id ?? `link:${caller.shareToken}`;
}

/** The caller's account; 401 for a visitor who only holds a link. */
export function requireAccount(caller: Caller): User {
  if (!caller.user) throw unauthenticated('Sign in first: a shared link only lets you read this document.');
  return caller.user;
}
