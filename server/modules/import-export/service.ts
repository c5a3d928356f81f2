/** Import of Markdown, HTML and .docx files as new documents, and export in four formats. Never sees a request. */
import type { JSONContent } from '@tiptap/core';
import type { DocumentDetail, User } from '../../../shared/dto.ts';
import { imageNodes } from '../../../shared/content-images.ts';
import type { ExportFormat } from '../../../shared/rich-content.ts';
import type { Caller } from '../../http/auth.ts';
import type { UploadedFile } from '../../http/multipart.ts';
import type { AttachmentService } from '../attachments/service.ts';
import type { DocumentService } from '../documents/service.ts';
import { documentContent, tiptapHtml } from '../../lazy-module.ts';
import type { ImportLimits } from './import-parse.ts';

/** A file to download. */
export interface ExportedFile {
  body: string | Uint8Array;
  contentType: string;
  fileName: string;
}

const EXPORT_TYPES: Readonly<Record<ExportFormat, string>> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);

/** A copy of the content with every image `src` replaced. */
async function mapImages(json: JSONContent, replace: (src: unknown) => Promise<string>): Promise<JSONContent> {
  const root = structuredClone(json);
  for (const node of imageNodes(root)) node.attrs = { ...node.attrs, src: await replace(node.attrs?.src) };
  return root;
}

/** Importing and exporting documents. */
export class ImportExportService {
  constructor(
    private readonly documents: DocumentService,
    private readonly attachments: AttachmentService,
    private readonly limits: ImportLimits,
  ) {}

  /** A new document of `user`'s (DEFAULT_ACCESS, like any other) from a file, its images stored as attachments. */
  async import(user: User, file: UploadedFile): Promise<DocumentDetail> {
    const { parseImport } = await import('./import-parse.ts');
    const parsed = await parseImport(file, this.limits);
    const document = await this.documents.create(user, parsed.title, parsed.content);
    for (const image of parsed.images) await this.attachments.add(document.id, user.id, image.bytes, image.id);
    return document;
  }

  /** The document as a file (readers). `baseUrl` makes the Markdown's image links absolute. */
  async export(id: string, format: ExportFormat, caller: Caller, baseUrl: string): Promise<ExportedFile> {
    const document = await this.documents.get(id, caller);
    const fileName = `${document.title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'document'}.${format}`;
    const file = (body: string | Uint8Array) => ({ body, contentType: EXPORT_TYPES[format], fileName });
    if (format === 'txt') return file((await this.documents.content(id, 'text', caller)).body);
    const json = JSON.parse((await this.documents.content(id, 'json', caller)).body) as JSONContent;
    const load = (src: unknown) => this.attachments.ofDocument(id, src);
    switch (format) {
      case 'md': {
        const { markdown } = await import('./formats.ts');
        return file(markdown().serialize(await mapImages(json, async (src) => `${baseUrl}${String(src)}`)));
      }
      case 'html': {
        const inline = await mapImages(json, async (src) => {
          const found = await load(src);
          return found ? `data:${found.record.contentType};base64,${Buffer.from(found.data).toString('base64')}` : '';
        });
        const body = tiptapHtml().generateHTML(inline, documentContent().schemaExtensions);
        return file(`<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(document.title)}</title></head><body>${body}</body></html>\n`);
      }
      case 'docx': {
        // The docx writer (and mammoth for imports) load with their first use, not at start-up.
        const { documentToDocx } = await import('./docx-export.ts');
        return file(await documentToDocx(document.title, json, load, baseUrl));
      }
    }
  }
}
