/**
 * Turns an imported file into ProseMirror JSON of the document schema: Markdown through Tiptap's
 * Markdown parser, HTML through Tiptap's HTML parser, .docx through mammoth's HTML. Images
 * carried inside the file become attachments (their ids chosen here, stored once the document
 * exists); images elsewhere on the web become links, and what cannot be kept says so in the text.
 */
import { randomUUID } from 'node:crypto';
import type { JSONContent } from '@tiptap/core';
import { generateHTML, generateJSON } from '@tiptap/html/server';
import { Window } from 'happy-dom';
import mammoth from 'mammoth';
import { ATTACHMENT_PATH } from '../../../shared/editor-schema.ts';
import { HttpError, payloadTooLarge } from '../../http/problem.ts';
import type { UploadedFile } from '../../http/multipart.ts';
import { sniffImage } from '../attachments/sniff.ts';
import { schemaExtensions } from '../documents/content.ts';
import { MAX_TITLE_LENGTH } from '../documents/model.ts';
import { markdown } from './formats.ts';

/** An image found inside an imported file, to store as an attachment under `id`. */
export interface ImportedImage {
  id: string;
  bytes: Uint8Array;
}

export interface ParsedImport {
  title: string;
  content: JSONContent;
  images: ImportedImage[];
}

export interface ImportLimits {
  maxImportBytes: number;
  maxAttachmentBytes: number;
}

const unsupportedFile = () => new HttpError(415, 'Unsupported Media Type', 'import a Markdown (.md), HTML (.html) or Word (.docx) file');

const DATA_URI = /^data:([\w/+.-]+);base64,(.*)$/is;

/** The image bytes a data: URI holds, or null. */
function dataUriBytes(src: string): Uint8Array | null {
  const match = DATA_URI.exec(src.trim());
  return match ? new Uint8Array(Buffer.from(match[2]!, 'base64')) : null;
}

/**
 * Rewrites the images of an HTML fragment: inline ones that are accepted images point at their
 * attachment-to-be; web images become links; anything else becomes a short note in the text.
 */
function takeImages(html: string, limits: ImportLimits): { html: string; images: ImportedImage[] } {
  const window = new Window();
  try {
    const document = window.document;
    document.body.innerHTML = html;
    const images: ImportedImage[] = [];
    for (const img of [...document.querySelectorAll('img')]) {
      const src = img.getAttribute('src') ?? '';
      const alt = img.getAttribute('alt')?.trim() ?? '';
      const bytes = dataUriBytes(src);
      if (bytes && bytes.byteLength <= limits.maxAttachmentBytes && sniffImage(bytes)) {
        const id = randomUUID();
        images.push({ id, bytes });
        img.setAttribute('src', `${ATTACHMENT_PATH}${id}`);
        // Images are blocks: a paragraph holding only the image (as Word's) would leave an empty one behind.
        const parent = img.parentElement;
        if (parent?.tagName === 'P' && parent.textContent?.trim() === '' && parent.children.length === 1) parent.replaceWith(img);
        continue;
      }
      if (/^https?:\/\//i.test(src)) {
        const link = document.createElement('a');
        link.setAttribute('href', src);
        link.textContent = `Image: ${alt || src}`;
        img.replaceWith(link);
        continue;
      }
      img.replaceWith(document.createTextNode(`[image left out${alt ? `: ${alt}` : ''}: only PNG, JPEG, GIF and WebP are kept]`));
    }
    return { html: document.body.innerHTML, images };
  } finally {
    void window.happyDOM.close();
  }
}

function titleOf(name: string): string {
  const base = name.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return base.slice(0, MAX_TITLE_LENGTH) || 'Imported document';
}

async function fileHtml(file: UploadedFile, extension: string): Promise<string> {
  const text = () => new TextDecoder().decode(file.bytes);
  switch (extension) {
    case 'md':
    case 'markdown':
      return generateHTML(markdown().parse(text()), schemaExtensions);
    case 'html':
    case 'htm':
      return text();
    case 'docx': {
      // A .docx is a zip: refuse anything else before mammoth reads it.
      if (!(file.bytes[0] === 0x50 && file.bytes[1] === 0x4b && file.bytes[2] === 0x03 && file.bytes[3] === 0x04)) throw unsupportedFile();
      try {
        const result = await mammoth.convertToHtml({ buffer: Buffer.from(file.bytes) });
        return result.value;
      } catch {
        throw new HttpError(422, 'Unprocessable Content', 'this .docx file could not be read');
      }
    }
    default:
      throw unsupportedFile();
  }
}

/** Parses an uploaded file; 413 past MAX_IMPORT_BYTES, 415 for an unknown kind of file. */
export async function parseImport(file: UploadedFile, limits: ImportLimits): Promise<ParsedImport> {
  if (file.bytes.byteLength > limits.maxImportBytes) {
    throw payloadTooLarge(`the file is ${file.bytes.byteLength} bytes; the limit is ${limits.maxImportBytes}`);
  }
  const extension = /\.([a-z]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  const { html, images } = takeImages(await fileHtml(file, extension), limits);
  const content = generateJSON(html, schemaExtensions) as JSONContent;
  return { title: titleOf(file.name), content, images };
}
