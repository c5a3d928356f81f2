/**
 * Runs of similar consecutive events told as one sentence: a script that creates 45 documents is
 * one line ("Bob created 45 documents"), an afternoon of typing one line per document, not fifty.
 */
import type { ActivityEvent, DocumentEditedEvent } from '../../../shared/activity.ts';
import { changePhrase, describeActivity, displayTitle, editCounts, type ActivityLine, type ChangeCounts } from './format.ts';

/** Consecutive events further apart than this are not told together. */
export const GROUP_GAP_MS = 60 * 60 * 1000;

/** One line of the feed: a single event, or a run of similar ones (newest first, as the feed). */
export interface ActivityGroup {
  /** Stable while the run grows newer events at its top. */
  key: string;
  events: readonly [ActivityEvent, ...ActivityEvent[]];
}

/** Types whose runs span documents ("created 45 documents"); edits group per document; the rest never do. */
const ACROSS_DOCUMENTS: ReadonlySet<ActivityEvent['type']> = new Set(['document.created', 'document.deleted']);

function belongTogether(newer: ActivityEvent, older: ActivityEvent, gapMs: number): boolean {
  if (newer.actor.id !== older.actor.id || newer.type !== older.type) return false;
  if (Math.abs(Date.parse(newer.at) - Date.parse(older.at)) > gapMs) return false;
  if (ACROSS_DOCUMENTS.has(newer.type)) return true;
  return newer.type === 'document.edited' && newer.documentId === older.documentId;
}

/** Groups a newest-first feed into lines, each run of similar consecutive events in one. */
export function groupActivity(events: readonly ActivityEvent[], gapMs: number = GROUP_GAP_MS): ActivityGroup[] {
  const groups: ActivityEvent[][] = [];
  for (const event of events) {
    const current = groups[groups.length - 1];
    const last = current?.[current.length - 1];
    if (current !== undefined && last !== undefined && belongTogether(last, event, gapMs)) current.push(event);
    else groups.push([event]);
  }
  return groups.map((run) => ({ key: `run-${run[run.length - 1]!.id}`, events: run as [ActivityEvent, ...ActivityEvent[]] }));
}

/** The counts of several edits together; in characters unless every one of them counted words. */
function sumCounts(events: readonly DocumentEditedEvent[]): ChangeCounts {
  const all = events.map((event) => editCounts(event.details));
  const unit = all.every((counts) => counts.unit === 'word') ? 'word' : 'character';
  const counted = unit === 'word' ? all : events.map((event) => editCounts({ ...event.details, words: undefined }));
  return {
    unit,
    inserted: counted.reduce((sum, counts) => sum + counts.inserted, 0),
    deleted: counted.reduce((sum, counts) => sum + counts.deleted, 0),
  };
}

/** Describes a line of the feed; `actor` as in describeActivity. */
export function describeGroup(group: ActivityGroup, actor: string): ActivityLine {
  const [newest] = group.events;
  const count = group.events.length;
  if (count === 1) return describeActivity(newest, actor);
  if (newest.type === 'document.edited') {
    const phrase = changePhrase(sumCounts(group.events as readonly DocumentEditedEvent[]));
    return {
      actor,
      verb: `made ${count} edits to`,
      object: displayTitle(newest.documentTitle),
      objectIsDocument: true,
      after: phrase === null ? '' : `: ${phrase}`,
    };
  }
  const verb = newest.type === 'document.created' ? 'created' : 'deleted';
  return { actor, verb, object: `${count} documents`, objectIsDocument: false, after: '' };
}
