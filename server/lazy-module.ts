/**
 * A module loaded on its first use rather than at start-up. For the large ones only some requests
 * need: `@tiptap/html/server` brings happy-dom, about 36 MiB of a server's 90 MiB at rest, for
 * HTML renders, imports and diffs, which most instances do rarely or never.
 */
export function lazyModule<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/** Tiptap's server-side HTML renderer and parser (happy-dom inside), loaded on first use. */
export const tiptapHtml = lazyModule(() => require('@tiptap/html/server') as typeof import('@tiptap/html/server'));
