/** Routes of sharing: who has access to a document, changing it, its secret link, and opening a link. */
import { Elysia, t } from 'elysia';
import { requireAccount, resolveCaller, requestToken } from '../../http/auth.ts';
import { DocumentAccessBody, DocumentAccessSchema, DocumentParams, SharedLinkSchema } from '../documents/model.ts';
import type { SessionService } from '../session/service.ts';
import type { AccessService } from './service.ts';

/** Where secret links point: `PUBLIC_URL`, else the origin the request came to. */
function baseUrlOf(request: Request, publicUrl: string | null): string {
  return publicUrl ?? new URL(request.url).origin;
}

/** `/api/documents/:id/access` (readers see, owners change) and `/api/links/:linkToken` (no session needed). */
export function accessRoutes(access: AccessService, sessions: SessionService, publicUrl: string | null) {
  const documentAccess = new Elysia({ prefix: '/api/documents/:id/access', tags: ['sharing'] })
    .use(resolveCaller(sessions))
    .get('', ({ params, caller, request }) => access.describe(params.id, caller, baseUrlOf(request, publicUrl)), {
      params: DocumentParams,
      response: { 200: DocumentAccessSchema },
      detail: { summary: 'Who has access to a document (any reader); the secret link is shown to owners only' },
    })
    // Changes need an account (401 for a visitor with only a link), then the owner role (403).
    .put('', ({ params, body, caller, request }) => (requireAccount(caller), access.replace(params.id, caller, body, baseUrlOf(request, publicUrl))), {
      params: DocumentParams,
      body: DocumentAccessBody,
      response: { 200: DocumentAccessSchema },
      detail: {
        summary: 'Replace general access and every grant (owners)',
        description: 'Open sync connections and activity streams follow within a second, on every instance: losing read closes with 4403.',
      },
    })
    .post('/link', ({ params, caller, request }) => (requireAccount(caller), access.rotateLink(params.id, caller, baseUrlOf(request, publicUrl))), {
      params: DocumentParams,
      response: { 200: DocumentAccessSchema },
      detail: { summary: 'Issue a new secret link (owners): the old one stops working at once' },
    });

  const links = new Elysia({ prefix: '/api/links', tags: ['sharing'] }).get(
    '/:linkToken',
    async ({ params, request }) => {
      const session = await sessions.authenticate(requestToken(request));
      return access.resolveLink(params.linkToken, { session, user: session?.user ?? null, shareToken: params.linkToken });
    },
    {
      params: t.Object({ linkToken: t.String({ maxLength: 64 }) }),
      response: { 200: SharedLinkSchema },
      detail: { summary: 'The document a secret link opens and the role it gives the caller; 404 for an invalid or reset link' },
    },
  );

  return new Elysia().use(documentAccess).use(links);
}
