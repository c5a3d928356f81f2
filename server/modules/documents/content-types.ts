/**
 * What callers of the content converters (`content.ts`) need without loading them: the media
 * type of each format and the error thrown for content outside the schema. `content.ts` brings
 * Tiptap and ProseMirror, about 9 MiB of a server at rest, so it loads with its first use.
 */
import type { ContentFormat } from '../../../shared/dto.ts';

/** Thrown when submitted content does not fit the editor's schema. */
export class InvalidContentError extends Error {}

/** The media type of each of the content route's formats. */
export const CONTENT_TYPES: Readonly<Record<ContentFormat, string>> = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
};
