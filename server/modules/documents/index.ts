/** Routes of `/api/documents`. Parsing and HTTP details here; the work is in `DocumentService`. */
import { Elysia, t } from 'elysia';
import type { ContentFormat } from '../../../shared/dto.ts';
import { requireSession } from '../../http/auth.ts';
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

/** Document routes, all behind a session. */
export function documentRoutes(documents: DocumentService, sessions: SessionService) {
  return new Elysia({ prefix: '/api/documents', tags: ['documents'] })
    .use(requireSession(sessions))
    .get('', ({ query }) => documents.list(query.limit ?? 20, query.cursor, query.q), {
      query: ListDocumentsQuery,
      response: { 200: DocumentPageSchema },
      detail: { summary: 'List documents, most recently updated first' },
    })
    .post(
      '',
      async ({ body, session, set }) => {
        const document = await documents.create(session.user, body.title, body.content);
        set.status = 201;
        set.headers.location = `/api/documents/${document.id}`;
        set.headers.etag = etag(document.version);
        return document;
      },
      { body: CreateDocumentBody, response: { 201: DocumentSchema }, detail: { summary: 'Create a document' } },
    )
    .get(
      '/:id',
      async ({ params, set }) => {
        const document = await documents.get(params.id);
        set.headers.etag = etag(document.version);
        return document;
      },
      { params: DocumentParams, response: { 200: DocumentSchema }, detail: { summary: 'One document' } },
    )
    .patch(
      '/:id',
      async ({ params, body, session, request, set }) => {
        const ifMatch = parseIfMatch(request.headers.get('if-match'));
        if (ifMatch === 'invalid') throw preconditionFailed('If-Match must be an ETag this API returned, like "3"');
        const document = await documents.rename(params.id, body.title, session.user, ifMatch);
        set.headers.etag = etag(document.version);
        return document;
      },
      {
        params: DocumentParams,
        body: RenameDocumentBody,
        response: { 200: DocumentSchema },
        detail: { summary: 'Rename a document; send If-Match with its ETag to avoid overwriting a newer title' },
      },
    )
    .delete(
      '/:id',
      async ({ params, session, set }) => {
        await documents.delete(params.id, session.user);
        set.status = 204;
      },
      { params: DocumentParams, detail: { summary: 'Delete a document; its open editors are disconnected with 4404' } },
    )
    .get(
      '/:id/content',
      async ({ params, query, session }) => {
        const { body, contentType } = await documents.content(params.id, (query.format ?? 'json') as ContentFormat, session.user.id);
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
