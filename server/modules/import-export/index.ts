/** `POST /api/documents/import` and `GET /api/documents/:id/export`. */
import { Elysia, t } from 'elysia';
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/rich-content.ts';
import { requireAccount, resolveCaller } from '../../http/auth.ts';
import { MULTIPART_OVERHEAD_BYTES, leaveBodyUnread, readUploadedFile } from '../../http/multipart.ts';
import type { UploadRoute } from '../../http/request-guard.ts';
import { DocumentSchema } from '../documents/model.ts';
import type { SessionService } from '../session/service.ts';
import type { ImportExportService } from './service.ts';

/** The import route's body limit, for the request guard. */
export function importRoute(maxImportBytes: number): UploadRoute {
  return { method: 'POST', path: /^\/api\/documents\/import$/, maxBytes: maxImportBytes + MULTIPART_OVERHEAD_BYTES };
}

/** `filename*` as RFC 6266 wants it, with a plain ASCII fallback. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function importExportRoutes(service: ImportExportService, sessions: SessionService, options: { maxImportBytes: number; publicUrl: string | null }) {
  const uploadLimit = importRoute(options.maxImportBytes).maxBytes;
  return new Elysia({ tags: ['documents'] })
    .use(resolveCaller(sessions))
    .post(
      '/api/documents/import',
      async ({ caller, request, set }) => {
        const user = requireAccount(caller);
        const document = await service.import(user, await readUploadedFile(request, uploadLimit));
        set.status = 201;
        set.headers.location = `/api/documents/${document.id}`;
        set.headers.etag = `"${document.version}"`;
        return document;
      },
      {
        // The route reads its body itself, within its own limit (`parse: 'none'` breaks beside global parse hooks in Elysia 1.4).
        parse: leaveBodyUnread,
        response: { 201: DocumentSchema },
        detail: { summary: 'Create a document from a Markdown, HTML or .docx file (multipart/form-data, field "file"); its images become attachments' },
      },
    )
    .get(
      '/api/documents/:id/export',
      async ({ params, query, caller, request }) => {
        const baseUrl = (options.publicUrl ?? new URL(request.url).origin).replace(/\/+$/, '');
        const file = await service.export(params.id, (query.format ?? 'md') as ExportFormat, caller, baseUrl);
        return new Response(file.body as string | Uint8Array<ArrayBuffer>, { headers: { 'content-type': file.contentType, 'content-disposition': contentDisposition(file.fileName) } });
      },
      {
        params: t.Object({ id: t.String() }),
        query: t.Object({ format: t.Optional(t.UnionEnum(EXPORT_FORMATS)) }),
        response: { 200: t.Any() },
        detail: { summary: 'Download a document as Markdown, HTML (images inline), plain text or .docx (images inline)' },
      },
    );
}
