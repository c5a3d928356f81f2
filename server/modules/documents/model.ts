/** TypeBox schemas of the documents API; the TypeScript types come from them. */
import { t } from 'elysia';
import { ACCESS_SCOPES, CONTENT_FORMATS, DOCUMENT_FILTERS, DOCUMENT_ROLES, GENERAL_ROLES } from '../../../shared/dto.ts';
import { SINGLE_LINE_TEXT } from '../../http/text-patterns.ts';

export const MAX_TITLE_LENGTH = 200;

const UserRef = t.Object({ id: t.String(), name: t.String() });

export const DocumentSummarySchema = t.Object({
  id: t.String(),
  title: t.String(),
  createdAt: t.String({ format: 'date-time' }),
  updatedAt: t.String({ format: 'date-time' }),
  createdBy: UserRef,
  updatedBy: t.Union([UserRef, t.Null()]),
  role: t.UnionEnum(DOCUMENT_ROLES, { description: "The caller's role on the document" }),
});

export const DocumentSchema = t.Composite([
  DocumentSummarySchema,
  t.Object({ version: t.Integer(), sizeBytes: t.Integer() }),
]);

export const DocumentPageSchema = t.Object({
  items: t.Array(DocumentSummarySchema),
  nextCursor: t.Union([t.String(), t.Null()]),
});

export const TitleSchema = t.String({ minLength: 1, maxLength: MAX_TITLE_LENGTH, pattern: SINGLE_LINE_TEXT });

export const CreateDocumentBody = t.Object(
  {
    title: t.Optional(TitleSchema),
    content: t.Optional(t.Object({ type: t.Literal('doc') }, { additionalProperties: true, description: 'Tiptap/ProseMirror JSON' })),
  },
  { additionalProperties: false },
);

export const RenameDocumentBody = t.Object({ title: TitleSchema }, { additionalProperties: false });

export const ListDocumentsQuery = t.Object({
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: t.Optional(t.String({ maxLength: 512 })),
  q: t.Optional(t.String({ maxLength: MAX_TITLE_LENGTH, pattern: SINGLE_LINE_TEXT })),
  // A union of literals: Elysia fills an absent optional UnionEnum with its first member.
  filter: t.Optional(t.Union(DOCUMENT_FILTERS.map((filter) => t.Literal(filter)), { description: 'owned: documents the caller owns; shared: shared with the caller by someone else' })),
});

/** A secret link token, where a header cannot be sent (`Quire-Share` is the usual way). */
const ShareParam = t.Optional(t.String({ maxLength: 64 }));

export const ContentQuery = t.Object({
  format: t.Optional(t.UnionEnum(CONTENT_FORMATS, { default: 'json' })),
  share: ShareParam,
});

/** Queries of routes that only carry a link token. */
export const ShareQuery = t.Object({ share: ShareParam });

export const GeneralAccessSchema = t.Object(
  { scope: t.UnionEnum(ACCESS_SCOPES), role: t.UnionEnum(GENERAL_ROLES) },
  { additionalProperties: false },
);

const AccountRef = t.Object({ id: t.String(), name: t.String(), email: t.Union([t.String(), t.Null()]), color: t.String() });

export const DocumentAccessSchema = t.Object({
  owner: UserRef,
  general: GeneralAccessSchema,
  grants: t.Array(t.Object({ user: AccountRef, role: t.UnionEnum(DOCUMENT_ROLES) })),
  link: t.Union([t.String(), t.Null()], { description: 'The secret link (owners only)' }),
});

export const DocumentAccessBody = t.Object(
  {
    general: GeneralAccessSchema,
    grants: t.Array(
      t.Object({ user: t.Object({ id: t.String({ maxLength: 64 }) }, { additionalProperties: false }), role: t.UnionEnum(DOCUMENT_ROLES) }, { additionalProperties: false }),
      { maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

export const SharedLinkSchema = t.Object({ documentId: t.String(), title: t.String(), role: t.UnionEnum(DOCUMENT_ROLES) });

export const DocumentParams = t.Object({ id: t.String({ maxLength: 64 }) });
