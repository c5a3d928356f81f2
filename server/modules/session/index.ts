/** Routes of `/api/session`: sign in with email and password, who am I, sign out. */
import { Elysia, t } from 'elysia';
import type { SessionResponse } from '../../../shared/dto.ts';
import { requestToken } from '../../http/auth.ts';
import { tooManyRequests, unauthenticated } from '../../http/problem.ts';
import type { KeyedRateLimiter } from '../../sync/rate-limit.ts';
import { SessionSchema, SignInBody, UserSchema } from '../accounts/model.ts';
import type { AccountService } from '../accounts/service.ts';
import { clearedSessionCookie, requestIsSecure, sessionCookie } from './cookie.ts';
import type { SessionService } from './service.ts';

/** What the session routes need besides the services. */
export interface SessionRouteDeps {
  /** Sign-ins and account creations per client address. */
  limiter: KeyedRateLimiter;
  clientIp: (request: Request) => string;
  publicUrl: string | null;
}

/** Session routes. */
export function sessionRoutes(sessions: SessionService, accounts: AccountService, deps: SessionRouteDeps) {
  return new Elysia({ prefix: '/api/session', tags: ['session'] })
    .post(
      '',
      async ({ body, request, set }): Promise<SessionResponse> => {
        const address = deps.clientIp(request);
        const wait = deps.limiter.take(address);
        if (wait > 0) throw tooManyRequests(wait);
        const session = await accounts.signIn(body.email, body.password, address);
        set.status = 201;
        set.headers['set-cookie'] = sessionCookie(session, requestIsSecure(request, deps.publicUrl));
        return { token: session.token, user: session.user };
      },
      {
        body: SignInBody,
        response: { 201: SessionSchema },
        detail: {
          summary: 'Sign in with email and password',
          description: '401 with one message for an unknown email and a wrong password alike; 429 after 5 failures in a minute for one email from one address.',
        },
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
        set.status = 204;
        set.headers['set-cookie'] = clearedSessionCookie(requestIsSecure(request, deps.publicUrl));
      },
      { detail: { summary: "Sign out: the token stops working and this session's sockets and streams close (4401)" } },
    );
}
