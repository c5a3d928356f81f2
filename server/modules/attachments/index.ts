/** Routes of attachments: uploading an image into a document, and serving it to its readers. */
import { Elysia, t } from 'elysia';
import { requireAccount, resolveCaller } from '../../http/auth.ts';
import { MULTIPART_OVERHEAD_BYTES, leaveBodyUnread, readUploadedFile } from '../../http/multipart.ts';
import type { UploadRoute } from '../../http/request-guard.ts';
import type { SessionService } from '../session/service.ts';
import type { AttachmentService } from './service.ts';
import { IMAGE_EXTENSIONS, type ImageType } from './sniff.ts';

const AttachmentSchema = t.Object({ id: t.String(), url: t.String(), contentType: t.String(), size: t.Integer() });

/** The upload route's body limit, for the request guard. */
export function attachmentUploadRoute(maxAttachmentBytes: number): UploadRoute {
  return { method: 'POST', path: /^\/api\/documents\/[^/]+\/attachments$/, maxBytes: maxAttachmentBytes + MULTIPART_OVERHEAD_BYTES };
}

/**
 * Uploads need an editor; reads need a reader of the image's document (an account, or its
 * secret link as `?share=` since an `<img>` cannot send headers). Served as the sniffed type,
 * never sniffed again by the browser, cached privately for a year: an attachment never changes.
 */
export function attachmentRoutes(attachments: AttachmentService, sessions: SessionService) {
  const uploadLimit = attachmentUploadRoute(attachments.maxBytes).maxBytes;
  return new Elysia({ tags: ['attachments'] })
    .use(resolveCaller(sessions))
    .post(
      '/api/documents/:id/attachments',
      async ({ params, caller, request, set }) => {
        const user = requireAccount(caller);
        const file = await readUploadedFile(request, uploadLimit);
        const attachment = await attachments.upload(params.id, caller, user.id, file.bytes);
        set.status = 201;
        set.headers.location = attachment.url;
        return attachment;
      },
      {
        params: t.Object({ id: t.String() }),
        // The route reads its body itself, within its own limit (`parse: 'none'` breaks beside global parse hooks in Elysia 1.4).
        parse: leaveBodyUnread,
        response: { 201: AttachmentSchema },
        detail: {
          summary: 'Upload an image into a document (editors): multipart/form-data, field "file"',
          description: 'PNG, JPEG, GIF or WebP, told from the bytes; 415 for anything else (SVG included), 413 past MAX_ATTACHMENT_BYTES.',
        },
      },
    )
    .get(
      '/api/attachments/:id',
      async ({ params, caller }) => {
        const { record, data } = await attachments.read(params.id, caller);
        return new Response(data as Uint8Array<ArrayBuffer>, {
          headers: {
            'content-type': record.contentType,
            'content-length': String(record.size),
            'content-disposition': `inline; filename="${record.id}.${IMAGE_EXTENSIONS[record.contentType as ImageType] ?? 'bin'}"`,
            'x-content-type-options': 'nosniff',
            'cache-control': 'private, max-age=31536000, immutable',
            'content-security-policy': "default-src 'none'; sandbox",
          },
        });
      },
      { params: t.Object({ id: t.String() }), response: { 200: t.Any() }, detail: { summary: "An image of a document (its readers)" } },
    );
}
