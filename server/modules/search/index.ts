/** `GET /api/search`: full-text search over the documents the caller can read. */
import { Elysia, t } from 'elysia';
import { requireAccount, resolveCaller } from '../../http/auth.ts';
import { DocumentSummarySchema } from '../documents/model.ts';
import type { SessionService } from '../session/service.ts';
import type { SearchService } from './service.ts';

const SearchPageSchema = t.Object({
  items: t.Array(t.Object({ document: DocumentSummarySchema, snippet: t.String({ description: 'HTML-escaped text, matches in <mark>' }) })),
  nextCursor: t.Union([t.String(), t.Null()]),
});

export function searchRoutes(search: SearchService, sessions: SessionService) {
  return new Elysia({ tags: ['search'] })
    .use(resolveCaller(sessions))
    .get('/api/search', ({ query, caller }) => search.search(requireAccount(caller), query.q, query.limit ?? 20, query.cursor), {
      query: t.Object({
        q: t.String({ maxLength: 500 }),
        limit: t.Optional(t.Integer({ minimum: 1, maximum: 100 })),
        cursor: t.Optional(t.String({ maxLength: 100 })),
      }),
      response: { 200: SearchPageSchema },
      detail: { summary: 'Search the titles and text of the documents the caller can read, best match first, with highlighted snippets' },
    });
}
