/** Uploading images into a document: one request per file, the answer's `url` goes in the image node. */
import { SHARE_HEADER } from '../../../../shared/dto.ts';
import type { Attachment } from '../../../../shared/rich-content.ts';

/** Why an upload failed, in words for the person who tried. */
export class UploadError extends Error {}

/** Uploads one image file into a document (editors); throws `UploadError` with the server's reason. */
export async function uploadImage(documentId: string, file: Blob, name = 'image'): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, name);
  const response = await fetch(`/api/documents/${encodeURIComponent(documentId)}/attachments`, { method: 'POST', body: form, credentials: 'same-origin' });
  if (response.status === 201) return (await response.json()) as Attachment;
  const problem = (await response.json().catch(() => null)) as { detail?: string } | null;
  throw new UploadError(problem?.detail ?? `the upload failed (${response.status})`);
}

/** The URL an image is loaded from: a link visitor's requests carry its token (an `<img>` cannot send headers). */
export function imageUrlFor(shareToken: string | null): (src: string) => string {
  return (src) => (shareToken ? `${src}?share=${encodeURIComponent(shareToken)}` : src);
}

/** The share header for fetches made on a link visitor's behalf. */
export function shareHeaders(shareToken: string | null): Record<string, string> {
  return shareToken ? { [SHARE_HEADER]: shareToken } : {};
}
