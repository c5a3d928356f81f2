/** TypeBox schemas of the documents API; the TypeScript types come from them. */
import { t } from 'elysia';
import { CONTENT_FORMATS } from '../../../shared/dto.ts';
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
});

export const ContentQuery = t.Object({
  format: t.Optional(t.UnionEnum(CONTENT_FORMATS, { default: 'json' })),
});

export const DocumentParams = t.Object({ id: t.String({ maxLength: 64 }) });
