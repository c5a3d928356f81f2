/**
 * The HTML of a diff: Tiptap's own renderer with the document's schema and two marks, insertion
 * (`<ins>`) and deletion (`<del>`), each naming its author in data attributes. Text is escaped
 * by the renderer, so a diff can be shown as it is.
 */
import { Mark, type JSONContent } from '@tiptap/core';
import { tiptapHtml } from '../../lazy-module.ts';
import { schemaExtensions } from '../documents/content.ts';

function authorMark(name: 'insertion' | 'deletion', tag: 'ins' | 'del') {
  return Mark.create({
    name,
    addAttributes: () => ({ author: { default: null, renderHTML: () => ({}) } }),
    renderHTML: ({ mark }) => {
      const author = mark.attrs.author as { id: string; name: string } | null;
      return [tag, author ? { 'data-author-id': author.id, 'data-author-name': author.name } : {}, 0];
    },
  });
}

/** The marks a diff adds to the document's schema. */
export const DIFF_MARKS = [authorMark('insertion', 'ins'), authorMark('deletion', 'del')];

const extensions = [...schemaExtensions, ...DIFF_MARKS];

/** Renders a diff document (from `diffDocument`) as HTML. */
export function renderDiff(json: JSONContent): string {
  return tiptapHtml().generateHTML(json, extensions);
}
