/**
 * Turns activity events into sentences a person reads: `Ada added 13 words to Roadmap: “Ship the
 * beta ¶ Then…”`. Everything here is plain text; the view decides what to style or link.
 */
import type { ActivityEvent, DocumentEditedEvent } from '../../../shared/activity.ts';

/** The pieces of one feed sentence, kept apart so the view can style them. */
export interface ActivityLine {
  actor: string;
  /** What they did, up to what it was done to: "created", "added 13 words to". */
  verb: string;
  /** What it was done to: a document's title, or "45 documents" for a run of events. */
  object: string;
  /** Whether `object` is one document's title (the view may link it). */
  objectIsDocument: boolean;
  /** What follows `object`, its separator included (" to Plan", ": “ship the beta”"); often empty. */
  after: string;
}

/** Longest excerpt shown in a feed line, in characters. */
export const EXCERPT_MAX = 80;

/** How a block break inside an excerpt is shown. */
export const BLOCK_BREAK = ' ¶ ';

/** Shortens text to `max` characters, cutting at a word boundary when one is near, with an ellipsis. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  // A block break left dangling at the cut says nothing: drop it with the cut-off word.
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s¶]+$/, '')}…`;
}

/** An excerpt on one line: its block breaks (`\n`) shown as " ¶ ", empty blocks dropped. */
export function excerptLine(excerpt: string, max: number = EXCERPT_MAX): string {
  const blocks = excerpt
    .split('\n')
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .filter((block) => block !== '');
  return truncate(blocks.join(BLOCK_BREAK), max);
}

/** What an edit changed, in words; in characters for events stored before words were counted. */
export interface ChangeCounts {
  inserted: number;
  deleted: number;
  unit: 'word' | 'character';
}

/** The counts a person reads for one edit burst. */
export function editCounts(details: DocumentEditedEvent['details']): ChangeCounts {
  return details.words === undefined
    ? { inserted: details.inserted, deleted: details.deleted, unit: 'character' }
    : { inserted: details.words.inserted, deleted: details.words.deleted, unit: 'word' };
}

function quantity(count: number, unit: string): string {
  return `${count.toLocaleString('en')} ${unit}${count === 1 ? '' : 's'}`;
}

/** "added 13 words and removed 4", "added 1 word", "removed 4 words"; null when nothing was. */
export function changePhrase({ inserted, deleted, unit }: ChangeCounts): string | null {
  if (inserted > 0 && deleted > 0) return `added ${quantity(inserted, unit)} and removed ${deleted.toLocaleString('en')}`;
  if (inserted > 0) return `added ${quantity(inserted, unit)}`;
  if (deleted > 0) return `removed ${quantity(deleted, unit)}`;
  return null;
}

/** The verb of an edit sentence, with the preposition its object takes. */
function editVerb(counts: ChangeCounts): string {
  const phrase = changePhrase(counts);
  if (phrase === null) return 'edited';
  if (counts.inserted > 0 && counts.deleted > 0) return `${phrase} in`;
  return counts.inserted > 0 ? `${phrase} to` : `${phrase} from`;
}

/** A title for display: untitled documents still get a name. */
export function displayTitle(title: string): string {
  const trimmed = title.trim();
  return trimmed === '' ? 'Untitled' : trimmed;
}

/** Describes one event; `actor` is how to name who did it (with an email when names clash). */
export function describeActivity(event: ActivityEvent, actor: string = event.actor.name): ActivityLine {
  const line = { actor, object: displayTitle(event.documentTitle), objectIsDocument: true, after: '' };
  switch (event.type) {
    case 'document.created':
      return { ...line, verb: 'created' };
    case 'document.renamed':
      return { ...line, verb: 'renamed', object: displayTitle(event.details.from), after: ` to ${displayTitle(event.details.to)}` };
    case 'document.deleted':
      return { ...line, verb: 'deleted' };
    case 'document.restored':
      return { ...line, verb: 'restored', after: ' to an earlier version' };
    case 'document.edited': {
      const excerpt = excerptLine(event.details.excerpt);
      return { ...line, verb: editVerb(editCounts(event.details)), after: excerpt === '' ? '' : `: “${excerpt}”` };
    }
  }
}

/** A sentence as one string, for accessible names and tests. */
export function lineText(line: ActivityLine): string {
  return `${line.actor} ${line.verb} ${line.object}${line.after}`;
}

/** One event's whole sentence. */
export function activityText(event: ActivityEvent, actor: string = event.actor.name): string {
  return lineText(describeActivity(event, actor));
}
