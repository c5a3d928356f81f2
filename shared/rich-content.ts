/** JSON shapes of the attachments, search, import and export routes. */
import type { DocumentSummary } from './dto.ts';

/** `POST /api/documents/:id/attachments`' answer: `url` is what an image node's `src` holds. */
export interface Attachment {
  id: string;
  url: string;
  contentType: string;
  size: number;
}

/** Image types an upload may be (sniffed from its bytes, whatever its name says). SVG is not one: it can carry script. */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** One search result: `snippet` is HTML-escaped text in which each match is wrapped in `<mark>`. */
export interface SearchResult {
  document: DocumentSummary;
  snippet: string;
}

export interface SearchPage {
  items: SearchResult[];
  nextCursor: string | null;
}

/** Formats of `GET /api/documents/:id/export`. */
export const EXPORT_FORMATS = ['md', 'html', 'txt', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** File name endings `POST /api/documents/import` takes. */
export const IMPORT_EXTENSIONS = ['.md', '.markdown', '.html', '.htm', '.docx', '.json'] as const;
