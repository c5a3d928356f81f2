/** Combining activity from history pages and the live stream without duplicates. */
import type { ActivityEvent } from '../../../shared/activity.ts';

/**
 * Merges lists of events into one, newest (highest id) first, each id once. Ids are strictly
 * increasing across the deployment, so they order events better than clocks do.
 */
export function mergeActivity(...lists: ReadonlyArray<readonly ActivityEvent[]>): ActivityEvent[] {
  const byId = new Map<number, ActivityEvent>();
  for (const list of lists) {
    for (const event of list) {
      if (!byId.has(event.id)) byId.set(event.id, event);
    }
  }
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

/**
 * Adds one live event to a newest-first buffer of at most `limit` events. Returns the same array
 * when the event is already there, so subscribers can skip re-rendering.
 */
export function appendLive(buffer: readonly ActivityEvent[], event: ActivityEvent, limit: number): readonly ActivityEvent[] {
  if (buffer.some((known) => known.id === event.id)) return buffer;
  const next = [event, ...buffer];
  if (buffer.length > 0 && (buffer[0]?.id ?? 0) > event.id) next.sort((a, b) => b.id - a.id);
  return next.length > limit ? next.slice(0, limit) : next;
}

/** Events of one document, or all of them when `documentId` is undefined. */
export function forDocument(events: readonly ActivityEvent[], documentId: string | undefined): readonly ActivityEvent[] {
  return documentId === undefined ? events : events.filter((event) => event.documentId === documentId);
}
