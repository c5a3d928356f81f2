/**
 * Reading a diff's `insertion` and `deletion` marks: who they name, and the colour each author's
 * changes get. Pure, so the legend and the marks agree and can be tested without a browser.
 */
import type { JSONContent } from '@tiptap/core';
import type { UserRef } from '../../../shared/dto.ts';
import { PALETTE } from '../collab/presence.ts';

/** The kinds of change a diff marks. */
export type ChangeKind = 'insertion' | 'deletion';

/** Who made a change, as a mark names them; null when nobody is known (e.g. text that came with an import). */
export type ChangeAuthor = UserRef | null;

/** An author from a mark's attributes, trusting nothing about their shape. */
export function readAuthor(value: unknown): ChangeAuthor {
  if (typeof value !== 'object' || value === null) return null;
  const { id, name } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof name === 'string' ? { id, name } : null;
}

/** One author's part in a diff, for the legend. */
export interface DiffAuthor {
  author: ChangeAuthor;
  inserted: boolean;
  deleted: boolean;
}

/** Everyone whose changes the diff marks, in the order their first change appears. */
export function diffAuthors(document: JSONContent): DiffAuthor[] {
  const byKey = new Map<string, DiffAuthor>();
  // Walked without recursion: a deeply nested document must not overflow the stack.
  const stack: JSONContent[] = [document];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const mark of node.marks ?? []) {
      if (mark.type !== 'insertion' && mark.type !== 'deletion') continue;
      const author = readAuthor(mark.attrs?.author);
      const key = author?.id ?? '';
      const entry = byKey.get(key) ?? { author, inserted: false, deleted: false };
      if (mark.type === 'insertion') entry.inserted = true;
      else entry.deleted = true;
      byKey.set(key, entry);
    }
    if (node.content) stack.push(...[...node.content].reverse());
  }
  return [...byKey.values()];
}

/** The grey of changes nobody is known for. */
export const UNKNOWN_AUTHOR_COLOR = '#6b7280';

/**
 * A colour for each of `authors`, told apart by order (two ids could hash to one colour): a
 * lookup from author to colour, grey for nobody known and for anyone not listed.
 */
export function authorColors(authors: Iterable<ChangeAuthor>): (author: ChangeAuthor) => string {
  const colors = new Map<string, string>();
  for (const author of authors) {
    if (author !== null && !colors.has(author.id)) colors.set(author.id, PALETTE[colors.size % PALETTE.length]!);
  }
  return (author) => (author === null ? UNKNOWN_AUTHOR_COLOR : (colors.get(author.id) ?? UNKNOWN_AUTHOR_COLOR));
}
