/** The live tail of the activity stream, shared by every view of the tab through one store. */
import type { ActivityEvent } from '../../../shared/activity.ts';
import { appendLive } from './merge.ts';

/** How the stream is doing, for the "live" indicator. */
export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

/** Which tab holds the browser's one stream: this one, another one (relaying), or not known yet. */
export type StreamHolder = 'this-tab' | 'other-tab' | null;

/** What subscribers read. Replaced, never mutated, so React can compare snapshots. */
export interface LiveSnapshot {
  events: readonly ActivityEvent[];
  status: StreamStatus;
  holder: StreamHolder;
  /** Highest event id seen, for resuming; null before the first event. */
  lastEventId: number | null;
}

/** Live events kept in memory; older ones are in the history pages. */
export const LIVE_LIMIT = 500;

/** A tiny external store for `useSyncExternalStore`. */
export class LiveActivityStore {
  private snapshot: LiveSnapshot = { events: [], status: 'connecting', holder: null, lastEventId: null };
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): LiveSnapshot => this.snapshot;

  /** Adds an event; returns false when it was a duplicate (a replay after resume). */
  add(event: ActivityEvent): boolean {
    const events = appendLive(this.snapshot.events, event, LIVE_LIMIT);
    if (events === this.snapshot.events) return false;
    const lastEventId = Math.max(this.snapshot.lastEventId ?? 0, event.id);
    this.set({ ...this.snapshot, events, lastEventId });
    return true;
  }

  /** Drops every event of `documentId` (this reader lost access to it). */
  forgetDocument(documentId: string): void {
    const events = this.snapshot.events.filter((event) => event.documentId !== documentId);
    if (events.length !== this.snapshot.events.length) this.set({ ...this.snapshot, events });
  }

  setStatus(status: StreamStatus): void {
    if (status !== this.snapshot.status) this.set({ ...this.snapshot, status });
  }

  setHolder(holder: StreamHolder): void {
    if (holder !== this.snapshot.holder) this.set({ ...this.snapshot, holder });
  }

  /**
   * Raises the resume point to an id another tab's stream has reached, so that if this tab takes
   * the stream over it resumes there: events up to it are in the history pages or were relayed.
   */
  noteResumePoint(id: number | null): void {
    if (id !== null && id > (this.snapshot.lastEventId ?? 0)) this.set({ ...this.snapshot, lastEventId: id });
  }

  private set(snapshot: LiveSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener();
  }
}
