/** The Markdown manager of the document schema, shared by import and export. */
import { MarkdownManager } from '@tiptap/markdown';
import { schemaExtensions } from '../documents/content.ts';

let manager: MarkdownManager | null = null;

/** Tiptap's Markdown parser and serializer for every node and mark of the schema. */
export function markdown(): MarkdownManager {
  manager ??= new MarkdownManager({ extensions: schemaExtensions });
  return manager;
}
