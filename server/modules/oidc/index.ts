/**
 * Routes of `/api/auth/oidc`: single sign-on with an OpenID provider. No session is needed
 * (these routes are how one is made). Both answer with redirects, because a browser navigates
 * to them: `/start` to the provider, `/callback` back into the app or to the sign-in page with
 * `?error=<code>` (see `OIDC_ERROR_CODES`). Only a provider that cannot be reached while
 * starting is a problem+json answer (503, or 502 when it answers nonsense).
 *
 * The flow's state, nonce and PKCE verifier live in the browser, in a sealed cookie scoped to
 * these routes (see flow.ts), so any instance can finish a sign-in another one started.
 */
import { Elysia, t } from 'elysia';
import { notFound } from '../../http/problem.ts';
import { requestIsSecure, sessionCookie } from '../session/cookie.ts';
import { FLOW_COOKIE, FLOW_TTL_SECONDS } from './flow.ts';
import { OidcFailure } from './failure.ts';
import type { OidcService } from './service.ts';

const PREFIX = '/api/auth/oidc';

/** Where the provider sends people back: under `PUBLIC_URL` when set, else this request's origin. */
export function callbackUri(publicUrl: string | null, request: Request): string {
  const base = publicUrl ? publicUrl.replace(/\/+$/, '') : new URL(request.url).origin;
  return `${base}${PREFIX}/callback`;
}

/** The flow cookie: sent only to these routes, and only as long as a sign-in may take. */
function flowCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${FLOW_COOKIE}=${value}; Path=${PREFIX}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  for (const value of cookies) headers.append('set-cookie', value);
  return new Response(null, { status: 302, headers });
}

function cookieValue(header: string | null, name: string): string | null {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.split('=');
    if (key?.trim() === name) return rest.join('=').trim();
  }
  return null;
}

/** The OIDC routes; without a service (SSO not configured) both answer 404. */
export function oidcRoutes(oidc: OidcService | null, publicUrl: string | null) {
  const notConfigured = () => notFound('single sign-on is not configured on this server');
  return new Elysia({ prefix: PREFIX, tags: ['session'] })
    .get(
      '/start',
      async ({ request, query }) => {
        if (!oidc) throw notConfigured();
        const redirectUri = callbackUri(publicUrl, request);
        const started = await oidc.begin(redirectUri, query.next, query.invite);
        return redirect(started.location, [flowCookie(started.flowCookie, FLOW_TTL_SECONDS, requestIsSecure(request, publicUrl))]);
      },
      {
        query: t.Object({
          next: t.Optional(t.String({ maxLength: 2048 })),
          invite: t.Optional(t.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
        }),
        detail: {
          summary: 'Start single sign-on',
          description:
            'Redirects to the OpenID provider. `next`: a path on this site to return to afterwards; `invite`: an invite code that admits a new account.',
        },
      },
    )
    .get(
      '/callback',
      async ({ request }) => {
        if (!oidc) throw notConfigured();
        const secure = requestIsSecure(request, publicUrl);
        // The flow is single-use: whatever happens, its cookie goes.
        const clearFlow = flowCookie('', 0, secure);
        try {
          const flow = cookieValue(request.headers.get('cookie'), FLOW_COOKIE);
          const { session, next } = await oidc.complete(new URL(request.url).searchParams, flow);
          return redirect(next, [clearFlow, sessionCookie(session, secure)]);
        } catch (error) {
          if (!(error instanceof OidcFailure)) throw error;
          return redirect(`/signin?error=${error.code}`, [clearFlow]);
        }
      },
      {
        detail: {
          summary: 'Finish single sign-on',
          description:
            'The provider sends the browser here. Success: the session cookie and a redirect to `next`. Refusal: a redirect to `/signin?error=<code>`.',
        },
      },
    );
}
