/** Turns activity events into the words a person reads: "Ada edited Roadmap: +42 −3 'ship the beta'". */
import type { ActivityEvent } from '../../../shared/activity.ts';

/** The pieces of one feed line, kept apart so the view can style them; all plain text. */
export interface ActivityLine {
  actor: string;
  verb: string;
  title: string;
  /** What follows the title ("to Plan", "+42 −3 'ship the beta'"); empty when nothing does. */
  detail: string;
}

/** Longest excerpt shown in a feed line, in characters. */
export const EXCERPT_MAX = 80;

const MINUS = '\u2212';

/** Shortens text to `max` characters, cutting at a word boundary when one is near, with an ellipsis. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** The "+42 −3 'excerpt'" summary of an edit burst. */
export function editSummary(inserted: number, deleted: number, excerpt: string): string {
  const parts: string[] = [];
  if (inserted > 0 || deleted === 0) parts.push(`+${inserted}`);
  if (deleted > 0) parts.push(`${MINUS}${deleted}`);
  const shown = truncate(excerpt, EXCERPT_MAX);
  if (shown !== '') parts.push(`'${shown}'`);
  return parts.join(' ');
}

/** A title for display: untitled documents still get a name. */
export function displayTitle(title: string): string {
  const trimmed = title.trim();
  return trimmed === '' ? 'Untitled' : trimmed;
}

/** Describes one event; `actor` is how to name who did it (with an email when names clash). */
export function describeActivity(event: ActivityEvent, actor: string = event.actor.name): ActivityLine {
  switch (event.type) {
    case 'document.created':
      return { actor, verb: 'created', title: displayTitle(event.documentTitle), detail: '' };
    case 'document.renamed':
      return {
        actor,
        verb: 'renamed',
        title: displayTitle(event.details.from),
        detail: `to ${displayTitle(event.details.to)}`,
      };
    case 'document.deleted':
      return { actor, verb: 'deleted', title: displayTitle(event.documentTitle), detail: '' };
    case 'document.edited':
      return {
        actor,
        verb: 'edited',
        title: displayTitle(event.documentTitle),
        detail: editSummary(event.details.inserted, event.details.deleted, event.details.excerpt),
      };
  }
}

/** The whole line as one string, for accessible names and tests. */
export function activityText(event: ActivityEvent, actor: string = event.actor.name): string {
  const line = describeActivity(event, actor);
  if (line.detail === '') return `${line.actor} ${line.verb} ${line.title}`;
  const joiner = event.type === 'document.edited' ? ': ' : ' ';
  return `${line.actor} ${line.verb} ${line.title}${joiner}${line.detail}`;
}
