/** Routes of `/api/session`: sign in, who am I, sign out. */
import { Elysia, t } from 'elysia';
import type { SessionResponse } from '../../../shared/dto.ts';
import { SESSION_COOKIE, requestToken } from '../../http/auth.ts';
import { badRequest, tooManyRequests, unauthenticated } from '../../http/problem.ts';
import { SINGLE_LINE_TEXT } from '../../http/text-patterns.ts';
import type { KeyedRateLimiter } from '../../sync/rate-limit.ts';
import type { Session, SessionService } from './service.ts';

const UserSchema = t.Object({ id: t.String(), name: t.String(), color: t.String() });

function sessionCookie(token: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}

/** Session routes; `clientIp` names the caller for the sign-in rate limit. */
export function sessionRoutes(
  sessions: SessionService,
  limiter: KeyedRateLimiter,
  clientIp: (request: Request) => string,
  onSignOut: (session: Session) => void,
) {
  return new Elysia({ prefix: '/api/session', tags: ['session'] })
    .post(
      '',
      async ({ body, request, set }): Promise<SessionResponse> => {
        const wait = limiter.take(clientIp(request));
        if (wait > 0) throw tooManyRequests(wait);
        const name = body.name.trim();
        if (name.length < 1 || name.length > 64) throw badRequest('name must be 1 to 64 characters after trimming', ['name']);
        const current = await sessions.authenticate(requestToken(request));
        const session = await sessions.signIn(name, current);
        set.status = 201;
        set.headers['set-cookie'] = sessionCookie(session.token, Math.floor((session.expiresAt - Date.now()) / 1000));
        return { token: session.token, user: session.user };
      },
      {
        body: t.Object({ name: t.String({ maxLength: 256, pattern: SINGLE_LINE_TEXT }) }, { additionalProperties: false }),
        response: { 201: t.Object({ token: t.String(), user: UserSchema }) },
        detail: { summary: 'Sign in with a display name' },
      },
    )
    .get(
      '',
      async ({ request }) => {
        const session = await sessions.authenticate(requestToken(request));
        if (!session) throw unauthenticated();
        return { user: session.user };
      },
      { response: { 200: t.Object({ user: UserSchema }) }, detail: { summary: 'The signed-in user' } },
    )
    .delete(
      '',
      async ({ request, set }) => {
        const session = await sessions.authenticate(requestToken(request));
        if (!session) throw unauthenticated();
        await sessions.signOut(session);
        onSignOut(session);
        set.status = 204;
        set.headers['set-cookie'] = sessionCookie('', 0);
      },
      { detail: { summary: 'Sign out' } },
    );
}
