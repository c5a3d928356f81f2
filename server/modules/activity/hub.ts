/**
 * Live fan-out of stored activity events to stream readers on this instance. Publishing only
 * enqueues into each reader's own bounded buffer, so a reader that stops reading never slows
 * another reader or the editing path; it is dropped once its buffer is full.
 */
import type { ActivityEvent } from '../../../shared/activity.ts';

/** One live reader. `deliver` must not block; it returns false when the reader must be dropped. */
export interface ActivitySubscriber {
  documentId: string | null;
  sessionId: string;
  userId: string;
  deliver(event: ActivityEvent): boolean;
  end(reason: string): void;
}

/** The set of live readers, counted per session and per account (for their caps). */
export class ActivityHub {
  private readonly subscribers = new Set<ActivitySubscriber>();
  private readonly perSession = new Map<string, number>();
  private readonly perUser = new Map<string, number>();

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(subscriber: ActivitySubscriber): () => void {
    if (!this.subscribers.has(subscriber)) {
      this.subscribers.add(subscriber);
      bump(this.perSession, subscriber.sessionId, 1);
      bump(this.perUser, subscriber.userId, 1);
    }
    return () => void this.remove(subscriber);
  }

  /** Streams open on this instance for a session and for its account. */
  streamsOf(sessionId: string, userId: string): { session: number; user: number } {
    return { session: this.perSession.get(sessionId) ?? 0, user: this.perUser.get(userId) ?? 0 };
  }

  private remove(subscriber: ActivitySubscriber): boolean {
    if (!this.subscribers.delete(subscriber)) return false;
    bump(this.perSession, subscriber.sessionId, -1);
    bump(this.perUser, subscriber.userId, -1);
    return true;
  }

  /** Hands stored events to every interested reader. */
  publish(events: readonly ActivityEvent[]): void {
    for (const subscriber of this.subscribers) {
      for (const event of events) {
        if (subscriber.documentId !== null && subscriber.documentId !== event.documentId) continue;
        if (!subscriber.deliver(event)) {
          this.remove(subscriber);
          subscriber.end('reader fell behind');
          break;
        }
      }
    }
  }

  /** Ends the streams `predicate` picks (their session ended). */
  endWhere(predicate: (subscriber: ActivitySubscriber) => boolean, reason: string): void {
    for (const subscriber of this.subscribers) {
      if (predicate(subscriber)) {
        this.remove(subscriber);
        subscriber.end(reason);
      }
    }
  }

  /** Ends every stream (shutdown). */
  endAll(reason: string): void {
    for (const subscriber of this.subscribers) subscriber.end(reason);
    this.subscribers.clear();
    this.perSession.clear();
    this.perUser.clear();
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const count = (counts.get(key) ?? 0) + by;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}
