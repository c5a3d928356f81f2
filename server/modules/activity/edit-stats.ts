/**
 * Measures what one Yjs transaction did to the edited fragment: characters inserted and
 * deleted, and the inserted text, read from the transaction's own change events (never by
 * diffing whole documents).
 */
import * as Y from 'yjs';

/** What a transaction (or a burst of them) changed. */
export interface EditStats {
  inserted: number;
  deleted: number;
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

interface Collected {
  chars: number;
  text: string;
}

/** Which items to count: live ones (for additions) or those this transaction deleted (for removals). */
type Counts = (item: Y.Item) => boolean;

/** Text inside a type and its children. */
function collectText(type: Y.AbstractType<Y.YEvent<Y.AbstractType<unknown>>>, counts: Counts, out: Collected): void {
  for (let item = type._start; item !== null; item = item.right) {
    if (counts(item)) collectItem(item, counts, out);
  }
}

function collectItem(item: Y.Item, counts: Counts, out: Collected): void {
  const content = item.content;
  if (content instanceof Y.ContentString) {
    out.chars += content.str.length;
    if (out.text.length < EXCERPT_LENGTH) out.text += content.str;
  } else if (content instanceof Y.ContentEmbed) {
    out.chars += 1;
  } else if (content instanceof Y.ContentType) {
    if (content.type instanceof Y.XmlElement && !out.text.endsWith('\n')) out.text += '\n';
    collectText(content.type, counts, out);
  }
}

/** Counts the text changes of a transaction under `fragment`. */
export function editStats(transaction: Y.Transaction, fragment: Y.XmlFragment): EditStats {
  const stats: EditStats = { inserted: 0, deleted: 0, excerpt: '' };
  // changedParentTypes is keyed by the generic AbstractType; look the fragment up by identity.
  const changed = transaction.changedParentTypes as Map<unknown, Y.YEvent<Y.AbstractType<unknown>>[]>;
  const events = changed.get(fragment) ?? [];
  for (const event of events) {
    if (event.target instanceof Y.XmlText || event.target instanceof Y.Text) {
      for (const op of event.delta) {
        if (typeof op.insert === 'string') {
          stats.inserted += op.insert.length;
          stats.excerpt = appendExcerpt(stats.excerpt, op.insert);
        } else if (op.insert !== undefined) {
          stats.inserted += 1;
        } else if (op.delete) {
          stats.deleted += op.delete;
        }
      }
      continue;
    }
    // Elements added or removed whole (a pasted paragraph, a deleted list): count their text.
    for (const item of event.changes.added) {
      const out = { chars: 0, text: '' };
      collectItem(item, (child) => !child.deleted, out);
      stats.inserted += out.chars;
      stats.excerpt = appendExcerpt(stats.excerpt, out.text);
    }
    // Only what this transaction removed: text deleted earlier was counted then (and may survive without gc).
    const removedNow: Counts = (child) => Y.isDeleted(transaction.deleteSet, child.id);
    for (const item of event.changes.deleted) {
      const out = { chars: 0, text: '' };
      collectItem(item, removedNow, out);
      stats.deleted += out.chars;
    }
  }
  return stats;
}
