/**
 * Measures what one Yjs transaction did to the edited fragment: characters inserted and
 * deleted, and the inserted text, read from the transaction's own changes (the items it created
 * and its delete set), never by diffing whole documents.
 */
import * as Y from 'yjs';
import { countWords } from '../../../shared/words.ts';
import { CreatedRanges } from './created-ranges.ts';

/** What a transaction (or a burst of them) changed. */
export interface EditStats {
  inserted: number;
  /** Characters deleted that existed before the burst (deleting what the burst itself typed is undoing, not news). */
  deleted: number;
  /** Words in the deleted text. */
  deletedWords?: number;
  /** The struct ranges the transaction created, so a burst can tell later what of them survived. */
  created?: CreatedRanges;
  /**
   * Inserted text, in order, capped at the excerpt length. Text of a block inserted whole starts
   * with a line break, so a burst of new paragraphs reads "one\ntwo", not "onetwo"; trim it for display.
   */
  excerpt: string;
}

export const EXCERPT_LENGTH = 120;

/** Adds `text` to an excerpt without passing the cap. */
export function appendExcerpt(excerpt: string, text: string): string {
  return excerpt.length >= EXCERPT_LENGTH ? excerpt : (excerpt + text).slice(0, EXCERPT_LENGTH);
}

/** Nesting this shallow is walked without the cache: a map entry per paragraph costs more than the walk. */
const UNCACHED_DEPTH = 8;

/**
 * Whether `type` sits (at any depth) inside `fragment`. Answers for deep types are remembered in
 * `known` for the whole transaction: a chain of N nested blocks costs N steps in all, where a
 * fresh walk to the root per item would cost N² (40,000 nested blocks froze the server for 11 s).
 */
export function isWithin(type: Y.AbstractType<unknown> | null, fragment: Y.XmlFragment, known: Map<unknown, boolean>): boolean {
  let current = type;
  for (let depth = 0; current && depth < UNCACHED_DEPTH; depth++) {
    if (current === (fragment as unknown)) return true;
    current = (current._item?.parent as Y.AbstractType<unknown> | undefined) ?? null;
  }
  if (!current) return false;
  const visited: unknown[] = [];
  let answer = false;
  for (; current; current = (current._item?.parent as Y.AbstractType<unknown> | undefined) ?? null) {
    if (current === (fragment as unknown)) {
      answer = true;
      break;
    }
    const cached = known.get(current);
    if (cached !== undefined) {
      answer = cached;
      break;
    }
    visited.push(current);
  }
  for (const seen of visited) known.set(seen, answer);
  return answer;
}

function isUnder(item: Y.Item, fragment: Y.XmlFragment, known: Map<unknown, boolean>): boolean {
  return isWithin(item.parent as Y.AbstractType<unknown> | null, fragment, known);
}

/** Characters an item's content stands for: its text, or 1 for an embed. */
function charCount(content: Y.Item['content']): number {
  if (content instanceof Y.ContentString) return content.str.length;
  if (content instanceof Y.ContentEmbed) return 1;
  return 0;
}

/**
 * Counts the text changes of a transaction under `fragment`. It reads only the items this
 * transaction created (its state-vector range) and the ones it deleted (its delete set), so the
 * cost follows the size of the change, not of the document: Yjs' own `event.delta` walks the
 * whole text on every keystroke.
 */
export function editStats(transaction: Y.Transaction, fragment: Y.XmlFragment, earlierInBurst?: CreatedRanges): EditStats {
  const created = new CreatedRanges();
  const stats: EditStats = { inserted: 0, deleted: 0, deletedWords: 0, excerpt: '', created };
  const store = transaction.doc.store;
  const known = new Map<unknown, boolean>();
  transaction.afterState.forEach((after, client) => {
    const before = transaction.beforeState.get(client) ?? 0;
    const structs = store.clients.get(client);
    if (after === before || !structs) return;
    created.add(client, before, after);
    // Structs are merged only after 'afterTransaction', so the created ones start exactly at `before`.
    for (let index = Y.findIndexSS(structs, before); index < structs.length; index++) {
      const struct = structs[index]!;
      if (struct.id.clock >= after) break;
      if (!(struct instanceof Y.Item) || struct.deleted || !isUnder(struct, fragment, known)) continue;
      const content = struct.content;
      if (content instanceof Y.ContentType && content.type instanceof Y.XmlElement) {
        // A new block: separate its text from what came before, so "one" + "two" reads "one\ntwo".
        if (!stats.excerpt.endsWith('\n')) stats.excerpt = appendExcerpt(stats.excerpt, '\n');
        continue;
      }
      stats.inserted += charCount(content);
      if (content instanceof Y.ContentString) stats.excerpt = appendExcerpt(stats.excerpt, content.str);
    }
  });
  // Only what this transaction removed, and only what existed before it (created-and-deleted
  // within one transaction never was text anyone saw).
  // Nor what an earlier transaction of the same burst typed: that is undoing, not deleting.
  let deletedText = '';
  let lastParent: unknown = null;
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    if (!(struct instanceof Y.Item) || struct.id.clock < 0) return;
    if (struct.id.clock >= (transaction.beforeState.get(struct.id.client) ?? 0)) return;
    if (!isUnder(struct, fragment, known)) return;
    const { client, clock } = struct.id;
    // Yjs merges and splits structs: count only the part that existed before the burst.
    const kept = earlierInBurst ? earlierInBurst.outside(client, clock, clock + struct.length) : [[clock, clock + struct.length] as [number, number]];
    if (kept.length === 0) return;
    const content = struct.content;
    if (!(content instanceof Y.ContentString)) {
      stats.deleted += charCount(content);
      return;
    }
    // Pieces of one text run on; another block's text is another word.
    let text = struct.parent === lastParent ? '' : ' ';
    for (const [from, to] of kept) text += content.str.slice(from - clock, to - clock);
    stats.deleted += text.trimStart().length === text.length ? text.length : text.length - 1;
    deletedText += text;
    lastParent = struct.parent;
  });
  stats.deletedWords = countWords(deletedText);
  return stats;
}
