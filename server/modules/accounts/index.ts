/**
 * Routes of accounts: `/api/accounts`, `/api/auth/config` and invite look-ups need no session;
 * `/api/users` and creating invites do. Parsing and HTTP details here; the work is in
 * `AccountService` and `UserDirectory`.
 */
import { Elysia, t } from 'elysia';
import type { SessionResponse } from '../../../shared/dto.ts';
import { requireSession } from '../../http/auth.ts';
import { tooManyRequests } from '../../http/problem.ts';
import type { KeyedRateLimiter } from '../../sync/rate-limit.ts';
import { requestIsSecure, sessionCookie } from '../session/cookie.ts';
import type { SessionService } from '../session/service.ts';
import type { UserDirectory } from './directory.ts';
import {
  AdminChangeBody,
  AuthConfigSchema,
  CreateAccountBody,
  CreateInviteBody,
  InviteCode,
  InviteCreatedSchema,
  InviteDetailsSchema,
  ListUsersQuery,
  PasswordChangeBody,
  ProfileBody,
  SessionSchema,
  UserSchema,
  UserSummarySchema,
} from './model.ts';
import type { AccountService } from './service.ts';

/** What the account routes need besides the services. */
export interface AccountRouteDeps {
  /** Sign-ins and account creations per client address. */
  limiter: KeyedRateLimiter;
  clientIp: (request: Request) => string;
  publicUrl: string | null;
  /** Whether single sign-on is configured. */
  oidc: boolean;
}

/** Routes anyone may call: create an account, the auth configuration, an invite's details. */
export function publicAccountRoutes(accounts: AccountService, directory: UserDirectory, deps: AccountRouteDeps) {
  return new Elysia({ tags: ['accounts'] })
    .post(
      '/api/accounts',
      async ({ body, request, set }): Promise<SessionResponse> => {
        const wait = deps.limiter.take(deps.clientIp(request));
        if (wait > 0) throw tooManyRequests(wait);
        const session = await accounts.register(body);
        set.status = 201;
        set.headers['set-cookie'] = sessionCookie(session, requestIsSecure(request, deps.publicUrl));
        return { token: session.token, user: session.user };
      },
      {
        body: CreateAccountBody,
        response: { 201: SessionSchema },
        detail: {
          summary: 'Create an account and sign in',
          description:
            'The first account ever is created freely and becomes admin; after that only with a valid invite, or by anyone when REGISTRATION=open (else 403). 409 when the email is taken (case-insensitively); passwords of at least 10 characters.',
        },
      },
    )
    .get('/api/auth/config', () => accounts.authConfig(deps.oidc), {
      response: { 200: AuthConfigSchema },
      detail: { summary: 'How people may sign in and register here; whether the first account is still to be created' },
    })
    .get('/api/invites/:code', ({ params }) => directory.inviteDetails(params.code), {
      params: t.Object({ code: InviteCode }),
      response: { 200: InviteDetailsSchema },
      detail: { summary: "An invite's details: who invited, for which email and role; 404 when used, expired or unknown" },
    });
}

/** Routes behind a session: people, profiles, passwords, admin changes and invites. */
export function accountRoutes(accounts: AccountService, directory: UserDirectory, sessions: SessionService, deps: AccountRouteDeps) {
  return new Elysia({ tags: ['accounts'] })
    .use(requireSession(sessions))
    .get('/api/users', ({ query, session }) => directory.list(session.user, query.q, query.limit ?? 20), {
      query: ListUsersQuery,
      response: { 200: t.Array(UserSummarySchema) },
      detail: {
        summary: 'People to share with',
        description: 'Enabled accounts `{id, name, email, color}`, filtered by `q` (name or email). Admins get every account with `role` and `disabled`.',
      },
    })
    .patch('/api/users/me', ({ body, session }) => directory.updateProfile(session.user, body), {
      body: ProfileBody,
      response: { 200: UserSchema },
      detail: { summary: 'Change your name or colour (#rrggbb)' },
    })
    .post(
      '/api/users/me/password',
      async ({ body, request, session, set }) => {
        await accounts.changePassword(session, body.current, body.next, deps.clientIp(request));
        set.status = 204;
      },
      { body: PasswordChangeBody, detail: { summary: 'Change your password; every other session of yours ends' } },
    )
    .patch('/api/users/:id', ({ params, body, session }) => directory.update(session.user, params.id, body), {
      params: t.Object({ id: t.String({ maxLength: 64 }) }),
      body: AdminChangeBody,
      response: { 200: UserSummarySchema },
      detail: { summary: "Admin: change an account's role or disable it (its sessions end); 409 for the last active admin" },
    })
    .post(
      '/api/invites',
      async ({ body, request, session, set }) => {
        const invite = await directory.invite(session.user, body, deps.publicUrl ?? new URL(request.url).origin);
        set.status = 201;
        return invite;
      },
      {
        body: CreateInviteBody,
        response: { 201: InviteCreatedSchema },
        detail: { summary: 'Admin: invite someone (optionally only one email) with a role; single use, expires in 7 days' },
      },
    );
}
