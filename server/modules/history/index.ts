/** Routes of history (`/api/documents/:id/revisions`) and of the trash (`/api/trash`). */
import { Elysia, t } from 'elysia';
import { CONTENT_FORMATS, DIFF_FORMATS, REVISION_KINDS, type ContentFormat, type DiffFormat } from '../../../shared/dto.ts';
import { RESTORE_NONCE_MAX_LENGTH } from '../../../shared/restore-marker.ts';
import { requireAccount, resolveCaller } from '../../http/auth.ts';
import { SINGLE_LINE_TEXT } from '../../http/text-patterns.ts';
import { DocumentSchema, DocumentSummarySchema } from '../documents/model.ts';
import type { SessionService } from '../session/service.ts';
import { parseRevisionId, type HistoryService } from './service.ts';
import type { TrashService } from './trash.ts';

const ShareParam = t.Optional(t.String({ maxLength: 64 }));
const Limit = t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 50 }));
const Params = t.Object({ id: t.String({ maxLength: 64 }) });
const RevisionParams = t.Object({ id: t.String({ maxLength: 64 }), rid: t.String({ maxLength: 20 }) });

const RevisionSchema = t.Object({
  id: t.Integer(),
  kind: t.UnionEnum(REVISION_KINDS),
  label: t.Union([t.String(), t.Null()]),
  createdAt: t.String({ format: 'date-time' }),
  authors: t.Array(t.Object({ id: t.String(), name: t.String() })),
  inserted: t.Integer(),
  deleted: t.Integer(),
  words: t.Object({ inserted: t.Integer(), deleted: t.Integer() }),
});

const TrashedSchema = t.Composite([DocumentSummarySchema, t.Object({ deletedAt: t.String({ format: 'date-time' }) })]);

/** Revisions: readers list, read and compare them; editors name versions and restore. */
export function historyRoutes(history: HistoryService, sessions: SessionService) {
  return new Elysia({ prefix: '/api/documents/:id/revisions', tags: ['history'] })
    .use(resolveCaller(sessions))
    .get('', ({ params, query, caller }) => history.list(params.id, caller, query.cursor, query.limit ?? 50), {
      params: Params,
      query: t.Object({ cursor: t.Optional(t.String({ maxLength: 20 })), limit: Limit, share: ShareParam }),
      response: { 200: t.Object({ items: t.Array(RevisionSchema), nextCursor: t.Union([t.String(), t.Null()]) }) },
      detail: { summary: "A document's revisions, newest first (readers)" },
    })
    .post(
      '',
      async ({ params, body, caller, set }) => {
        const revision = await history.name(params.id, caller, requireAccount(caller), body.label.trim());
        set.status = 201;
        return revision;
      },
      {
        params: Params,
        body: t.Object({ label: t.String({ minLength: 1, maxLength: 200, pattern: SINGLE_LINE_TEXT }) }, { additionalProperties: false }),
        response: { 201: RevisionSchema },
        detail: { summary: 'Name the current state of a document as a version (editors); kept for ever' },
      },
    )
    .get(
      '/:rid/content',
      async ({ params, query, caller }) => {
        const rendered = await history.content(params.id, parseRevisionId(params.rid, 'rid'), (query.format ?? 'json') as ContentFormat, caller);
        return new Response(rendered.body, { headers: { 'content-type': rendered.contentType } });
      },
      {
        params: RevisionParams,
        query: t.Object({ format: t.Optional(t.UnionEnum(CONTENT_FORMATS, { default: 'json' })), share: ShareParam }),
        response: { 200: t.Any() },
        detail: { summary: 'The document as it was at a revision, as JSON, HTML, text or Markdown (readers)' },
      },
    )
    .get(
      '/:rid/diff',
      async ({ params, query, caller }) => {
        const from = query.from === undefined ? null : parseRevisionId(query.from, 'from');
        const diff = await history.diff(params.id, parseRevisionId(params.rid, 'rid'), from, (query.format ?? 'json') as DiffFormat, caller);
        return new Response(diff.body, { headers: { 'content-type': diff.contentType } });
      },
      {
        params: RevisionParams,
        query: t.Object({ from: t.Optional(t.String({ maxLength: 20 })), format: t.Optional(t.UnionEnum(DIFF_FORMATS, { default: 'json' })), share: ShareParam }),
        response: { 200: t.Any() },
        detail: {
          summary: 'A revision against an earlier one (default: the one before it): insertions and deletions marked with their authors (readers)',
          description: 'JSON: ProseMirror JSON with `insertion` and `deletion` marks whose `author` is {id, name}. HTML: `<ins>` and `<del>` with data-author-id and data-author-name.',
        },
      },
    )
    .post(
      '/:rid/restore',
      ({ params, body, caller }) => history.restore(params.id, parseRevisionId(params.rid, 'rid'), caller, requireAccount(caller), body?.nonce ?? null),
      {
        params: RevisionParams,
        // The nonce lets the restorer's editor recognise the change and undo it as one step (shared/restore-marker.ts).
        body: t.Optional(t.Object({ nonce: t.Optional(t.String({ minLength: 1, maxLength: RESTORE_NONCE_MAX_LENGTH, pattern: '^[A-Za-z0-9_-]+$' })) }, { additionalProperties: false })),
        response: { 200: RevisionSchema },
        detail: {
          summary: 'Return the document to a revision as a new change (editors)',
          description: 'Every open editor sees it live; a "before" revision keeps what it replaced, so restoring that one undoes it. Records document.restored.',
        },
      },
    );
}

/** The trash: owners list, restore and empty it. */
export function trashRoutes(trash: TrashService, sessions: SessionService) {
  return new Elysia({ prefix: '/api/trash', tags: ['history'] })
    .use(resolveCaller(sessions))
    .get('', ({ query, caller }) => trash.list(requireAccount(caller), query.cursor, query.limit ?? 50), {
      query: t.Object({ cursor: t.Optional(t.String({ maxLength: 512 })), limit: Limit }),
      response: { 200: t.Object({ items: t.Array(TrashedSchema), nextCursor: t.Union([t.String(), t.Null()]) }) },
      detail: { summary: 'Deleted documents the caller owns (every one for admins), most recently deleted first' },
    })
    .post('/:id/restore', ({ params, caller }) => (requireAccount(caller), trash.restore(params.id, caller)), {
      params: Params,
      response: { 200: DocumentSchema },
      detail: { summary: 'Take a document out of the trash with its content, history and access (owners)' },
    })
    .delete(
      '/:id',
      async ({ params, caller, set }) => {
        requireAccount(caller);
        await trash.purge(params.id, caller);
        set.status = 204;
      },
      { params: Params, detail: { summary: 'Delete a document in the trash for good, with its history and attachments (owners)' } },
    );
}
