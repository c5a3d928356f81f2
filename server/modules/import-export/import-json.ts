/**
 * Import of a Quire JSON document: ProseMirror JSON of the document schema, bare or as
 * `{ "title": ..., "content": {...} }` (what the portable export's importer sends). Its images
 * carry their bytes as `data:` URIs, since the attachments they came from belong to another
 * document or server; each accepted one becomes an attachment of the new document. The content is
 * otherwise taken as it is, so nothing is lost through HTML: validation happens where every
 * document's initial content is checked.
 */
import { randomUUID } from 'node:crypto';
import type { JSONContent } from '@tiptap/core';
import { ATTACHMENT_PATH } from '../../../shared/content-refs.ts';
import { HttpError } from '../../http/problem.ts';
import { sniffImage } from '../attachments/sniff.ts';
import { MAX_TITLE_LENGTH } from '../documents/model.ts';

/** An image found inside an imported file, to store as an attachment under `id`. */
export interface ImportedImage {
  id: string;
  bytes: Uint8Array;
}

const DATA_URI = /^data:([\w/+.-]+);base64,(.*)$/is;

/** The image bytes a data: URI holds, or null. */
export function dataUriBytes(src: string): Uint8Array | null {
  const match = DATA_URI.exec(src.trim());
  return match ? new Uint8Array(Buffer.from(match[2]!, 'base64')) : null;
}

const unreadable = (why: string) => new HttpError(422, 'Unprocessable Content', `this JSON file is not a Quire document: ${why}`);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The document and optional title a JSON file holds; 422 when it is neither shape. */
function documentOf(text: string): { title: string | null; content: JSONContent } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw unreadable('it is not valid JSON');
  }
  if (isObject(parsed) && parsed.type === 'doc') return { title: null, content: parsed as JSONContent };
  if (isObject(parsed) && isObject(parsed.content) && parsed.content.type === 'doc') {
    if (parsed.title !== undefined && typeof parsed.title !== 'string') throw unreadable('"title" must be a string');
    return { title: parsed.title ?? null, content: parsed.content as JSONContent };
  }
  throw unreadable('expected {"type": "doc", ...} or {"title": ..., "content": {"type": "doc", ...}}');
}

/**
 * Parses a JSON document, turning its `data:` images into attachments-to-be (an image that is not
 * an accepted type, or is over the limit, is left out with a note in its place, as for HTML).
 * Walks with a stack: a deeply nested file must not overflow it before validation refuses it.
 */
export function parseJsonImport(text: string, maxAttachmentBytes: number): { title: string | null; content: JSONContent; images: ImportedImage[] } {
  const { title, content } = documentOf(text);
  const images: ImportedImage[] = [];
  const stack: JSONContent[] = [content];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!Array.isArray(node.content)) continue;
    node.content = node.content.map((child) => {
      if (!isObject(child) || child.type !== 'image') return child;
      const src = typeof child.attrs?.src === 'string' ? child.attrs.src : '';
      const bytes = src.startsWith('data:') ? dataUriBytes(src) : null;
      if (!bytes) return child;
      if (bytes.byteLength <= maxAttachmentBytes && sniffImage(bytes)) {
        const id = randomUUID();
        images.push({ id, bytes });
        return { ...child, attrs: { ...child.attrs, src: `${ATTACHMENT_PATH}${id}` } };
      }
      return { type: 'paragraph', content: [{ type: 'text', text: '[image left out: only PNG, JPEG, GIF and WebP up to the attachment limit are kept]' }] };
    });
    for (const child of node.content) if (isObject(child)) stack.push(child);
  }
  return { title: title === null ? null : title.slice(0, MAX_TITLE_LENGTH), content, images };
}
