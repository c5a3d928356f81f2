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

/** The set of live readers. */
export class ActivityHub {
  private readonly subscribers = new Set<ActivitySubscriber>();

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(subscriber: ActivitySubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** Hands stored events to every interested reader. */
  publish(events: readonly ActivityEvent[]): void {
    for (const subscriber of this.subscribers) {
      for (const event of events) {
        if (subscriber.documentId !== null && subscriber.documentId !== event.documentId) continue;
        if (!subscriber.deliver(event)) {
          this.subscribers.delete(subscriber);
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
        this.subscribers.delete(subscriber);
        subscriber.end(reason);
      }
    }
  }

  /** Ends every stream (shutdown). */
  endAll(reason: string): void {
    for (const subscriber of this.subscribers) subscriber.end(reason);
    this.subscribers.clear();
  }
}
