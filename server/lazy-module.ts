/**
 * A module loaded on its first use rather than at start-up. For the large ones only some requests
 * need: `@tiptap/html/server` brings happy-dom, about 36 MiB of a server's 90 MiB at rest, for
 * HTML renders, imports and diffs, which most instances do rarely or never. The rest of Tiptap
 * and ProseMirror (the schema, the Yjs and Markdown converters: about 9 MiB more) is needed only
 * by document creation with content, restores and exports, so `documentContent` loads it.
 */
export function lazyModule<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/** The converters between Tiptap JSON and a document's Yjs state (`modules/documents/content.ts`), loaded on first use. */
export const documentContent = lazyModule(() => require('./modules/documents/content.ts') as typeof import('./modules/documents/content.ts'));

/** Tiptap's server-side HTML renderer and parser (happy-dom inside), loaded on first use. */
export const tiptapHtml = lazyModule(() => require('@tiptap/html/server') as typeof import('@tiptap/html/server'));
