/**
 * Turns an imported file into ProseMirror JSON of the document schema: Markdown through Tiptap's
 * Markdown parser, HTML through Tiptap's HTML parser, .docx through mammoth's HTML, Quire JSON
 * as it is (import-json.ts). Images
 * carried inside the file become attachments (their ids chosen here, stored once the document
 * exists); images elsewhere on the web become links, and what cannot be kept says so in the text.
 */
import { randomUUID } from 'node:crypto';
import type { JSONContent } from '@tiptap/core';
import { generateHTML, generateJSON } from '@tiptap/html/server';
import { Window } from 'happy-dom';
import mammoth from 'mammoth';
import { ATTACHMENT_PATH } from '../../../shared/content-refs.ts';
import { HttpError, payloadTooLarge } from '../../http/problem.ts';
import type { UploadedFile } from '../../http/multipart.ts';
import { sniffImage } from '../attachments/sniff.ts';
import { schemaExtensions } from '../documents/content.ts';
import { MAX_TITLE_LENGTH } from '../documents/model.ts';
import { markdown } from './formats.ts';
import { dataUriBytes, parseJsonImport, type ImportedImage } from './import-json.ts';

export type { ImportedImage };

export interface ParsedImport {
  title: string;
  content: JSONContent;
  images: ImportedImage[];
}

export interface ImportLimits {
  maxImportBytes: number;
  maxAttachmentBytes: number;
}

const unsupportedFile = () => new HttpError(415, 'Unsupported Media Type', 'import a Markdown (.md), HTML (.html), Word (.docx) or Quire JSON (.json) file');

/** A paragraph Word shows as a checklist item: a ballot box (☐ ☑ ☒, as Quire's own .docx export writes them) first. */
const CHECKBOX = /^\s*([\u2610\u2611\u2612])\s?/;

/**
 * Turns runs of checkbox paragraphs into a task list. Word has no list type for checklists:
 * they arrive from mammoth as paragraphs starting with a ballot box, and would otherwise import
 * as text with a stray symbol.
 */
function checkboxParagraphsToTaskLists(document: Document): void {
  for (const paragraph of [...document.querySelectorAll('p')]) {
    const mark = CHECKBOX.exec(paragraph.textContent ?? '')?.[1];
    if (!mark || !paragraph.isConnected) continue;
    const list = document.createElement('ul');
    list.setAttribute('data-type', 'taskList');
    paragraph.before(list);
    let next: Element | null = paragraph;
    while (next?.tagName === 'P' && CHECKBOX.test(next.textContent ?? '')) {
      const following: Element | null = next.nextElementSibling;
      const checked = CHECKBOX.exec(next.textContent ?? '')![1] !== '\u2610';
      stripLeadingCheckbox(next);
      const item = document.createElement('li');
      item.setAttribute('data-type', 'taskItem');
      item.setAttribute('data-checked', String(checked));
      item.append(next);
      list.append(item);
      next = following;
    }
  }
}

/** Removes the ballot box from the paragraph's first text, keeping its marks and links. */
function stripLeadingCheckbox(paragraph: Element): void {
  const walker = paragraph.ownerDocument.createTreeWalker(paragraph, 4 /* NodeFilter.SHOW_TEXT */);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    if ((text.textContent ?? '').trim() === '') continue;
    text.textContent = (text.textContent ?? '').replace(CHECKBOX, '');
    return;
  }
}

/**
 * Rewrites the images of an HTML fragment: inline ones that are accepted images point at their
 * attachment-to-be; web images become links; anything else becomes a short note in the text.
 * Word's checklists become task lists first.
 */
function takeImages(html: string, limits: ImportLimits, { checklists }: { checklists: boolean }): { html: string; images: ImportedImage[] } {
  const window = new Window();
  try {
    const document = window.document;
    document.body.innerHTML = html;
    if (checklists) checkboxParagraphsToTaskLists(document as unknown as Document);
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
  if (extension === 'json') {
    const parsed = parseJsonImport(new TextDecoder().decode(file.bytes), limits.maxAttachmentBytes);
    return { title: parsed.title?.trim() || titleOf(file.name), content: parsed.content, images: parsed.images };
  }
  const { html, images } = takeImages(await fileHtml(file, extension), limits, { checklists: extension === 'docx' });
  const content = generateJSON(html, schemaExtensions) as JSONContent;
  return { title: titleOf(file.name), content, images };
}
