/** Routes of `/api/documents`. Parsing and HTTP details here; the work is in `DocumentService`. */
import { Elysia, t } from 'elysia';
import type { ContentFormat } from '../../../shared/dto.ts';
import { requireAccount, resolveCaller } from '../../http/auth.ts';
import { preconditionFailed } from '../../http/problem.ts';
import type { SessionService } from '../session/service.ts';
import {
  ContentQuery,
  CreateDocumentBody,
  DocumentPageSchema,
  DocumentParams,
  DocumentSchema,
  ListDocumentsQuery,
  RenameDocumentBody,
} from './model.ts';
import type { DocumentService } from './service.ts';

/** `If-Match: "3"` (or W/"3") as a version; `*` or absent means unconditional. */
export function parseIfMatch(header: string | null): number | null | 'invalid' {
  if (header === null || header.trim() === '*') return null;
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  return match ? Number(match[1]) : 'invalid';
}

const etag = (version: number) => `"${version}"`;

/**
 * Document routes: behind a session, except that reading one document also works with its
 * secret link (`Quire-Share` header or `share` parameter). Each asks the access policy.
 */
export function documentRoutes(documents: DocumentService, sessions: SessionService) {
  return new Elysia({ prefix: '/api/documents', tags: ['documents'] })
    .use(resolveCaller(sessions))
    .get('', ({ query, caller }) => documents.list(requireAccount(caller), query.limit ?? 20, query.cursor, query.q, query.filter), {
      query: ListDocumentsQuery,
      response: { 200: DocumentPageSchema },
      detail: { summary: 'List the documents the caller can read, most recently updated first; filter=owned or shared' },
    })
    .post(
      '',
      async ({ body, caller, set }) => {
        const document = await documents.create(requireAccount(caller), body.title, body.content);
        set.status = 201;
        set.headers.location = `/api/documents/${document.id}`;
        set.headers.etag = etag(document.version);
        return document;
      },
      { body: CreateDocumentBody, response: { 201: DocumentSchema }, detail: { summary: 'Create a document' } },
    )
    .get(
      '/:id',
      async ({ params, caller, set }) => {
        const document = await documents.get(params.id, caller);
        set.headers.etag = etag(document.version);
        return document;
      },
      { params: DocumentParams, response: { 200: DocumentSchema }, detail: { summary: 'One document' } },
    )
    .patch(
      '/:id',
      async ({ params, body, caller, request, set }) => {
        const actor = requireAccount(caller);
        const ifMatch = parseIfMatch(request.headers.get('if-match'));
        if (ifMatch === 'invalid') throw preconditionFailed('If-Match must be an ETag this API returned, like "3"');
        const document = await documents.rename(params.id, body.title, caller, actor, ifMatch);
        set.headers.etag = etag(document.version);
        return document;
      },
      {
        params: DocumentParams,
        body: RenameDocumentBody,
        response: { 200: DocumentSchema },
        detail: { summary: 'Rename a document (editors); send If-Match with its ETag to avoid overwriting a newer title' },
      },
    )
    .delete(
      '/:id',
      async ({ params, caller, set }) => {
        await documents.delete(params.id, caller, requireAccount(caller));
        set.status = 204;
      },
      { params: DocumentParams, detail: { summary: 'Delete a document (owners); its open editors are disconnected with 4404' } },
    )
    .get(
      '/:id/content',
      async ({ params, query, caller }) => {
        const { body, contentType } = await documents.content(params.id, (query.format ?? 'json') as ContentFormat, caller);
        return new Response(body, { headers: { 'content-type': contentType } });
      },
      {
        params: DocumentParams,
        query: ContentQuery,
        response: { 200: t.Any() },
        detail: {
          summary: 'The live content as ProseMirror JSON, HTML, plain text or Markdown',
          description:
            'Rendered off the event loop, at most MAX_RENDER_MS each: past it 422. Past MAX_RENDERS_PER_USER renders at once 429, past MAX_RENDER_QUEUE waiting 503, both with Retry-After.',
        },
      },
    );
}
