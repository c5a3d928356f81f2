/** Reads the file of a multipart/form-data upload, within the route's own body limit. */
import { badRequest } from './problem.ts';
import { readBoundedBytes } from './request-guard.ts';

/** A file a client sent in the field `file`. */
export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/** A route's body parser that reads nothing: the route reads the body with `readUploadedFile`. */
export const leaveBodyUnread = () => ({});

/** Room for the multipart framing around a file at the limit (boundaries, part headers). */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * The field `file` of the request's form (400 without one). The request guard has refused a
 * declared length past the route's limit already; a chunked body is read only up to `maxBodyBytes`.
 */
export async function readUploadedFile(request: Request, maxBodyBytes: number): Promise<UploadedFile> {
  if (!request.body) throw badRequest('send the file in the multipart/form-data field "file"', ['file']);
  const body = await readBoundedBytes(request.body, maxBodyBytes);
  let form: FormData;
  try {
    form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': request.headers.get('content-type') ?? '' } }).formData();
  } catch {
    throw badRequest('the body is not valid multipart/form-data', ['file']);
  }
  const file = form.get('file');
  if (!(file instanceof Blob)) throw badRequest('send the file in the multipart/form-data field "file"', ['file']);
  return { name: file instanceof File ? file.name : '', bytes: new Uint8Array(await file.arrayBuffer()) };
}
