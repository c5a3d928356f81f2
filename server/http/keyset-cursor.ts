/** Keyset cursors of `[time, id]`, opaque to clients: the document list's and the trash's. */
import { isDocumentId } from '../modules/documents/ids.ts';
import { badRequest } from './problem.ts';

/** The cursor that continues after `(time, id)`. */
export function encodeKeyset(time: number, id: string): string {
  return Buffer.from(JSON.stringify([time, id])).toString('base64url');
}

/** A cursor this API handed out, or 400 naming the `cursor` parameter. */
export function decodeKeyset(cursor: string): { time: number; id: string } {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(time) && typeof id === 'string' && isDocumentId(id)) return { time: time as number, id };
  } catch {
    // the error below
  }
  throw badRequest('cursor is not one this API returned', ['cursor']);
}
