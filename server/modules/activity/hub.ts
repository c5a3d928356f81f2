/**
 * Live fan-out of stored activity events to stream readers on this instance. Publishing only
 * enqueues into each reader's own bounded buffer, so a reader that stops reading never slows
 * another reader or the editing path; it is dropped once its buffer is full. Each event reaches
 * only the readers that may read its document by the rules stored at the time it is published,
 * so a reader who loses access hears nothing more of that document from that moment.
 */
import type { ActivityEvent } from '../../../shared/activity.ts';
import { roleOn, type AccessRules, type AccessSubject } from '../../policy/document-access.ts';

/** One live reader. `deliver` must not block; it returns false when the reader must be dropped. */
export interface ActivitySubscriber {
  documentId: string | null;
  sessionId: string;
  userId: string;
  /** Who reads, to the access policy. */
  subject: AccessSubject;
  /** Documents this reader was sent events of (so it can be told when it loses one). */
  seen: Set<string>;
  /** The reader lost read access to a document it was sent events of. */
  revoked(documentId: string): boolean;
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

  /**
   * Hands stored events to every interested reader that may read their documents, by `rules`
   * (the events' documents' access as stored now). An event of a document with no rules left (one
   * deleted before access was recorded) reaches admins only.
   */
  publish(events: readonly ActivityEvent[], rules: ReadonlyMap<string, AccessRules>): void {
    for (const subscriber of this.subscribers) {
      for (const event of events) {
        if (subscriber.documentId !== null && subscriber.documentId !== event.documentId) continue;
        if (!mayRead(rules.get(event.documentId), subscriber.subject)) continue;
        if (subscriber.seen.size < MAX_SEEN) subscriber.seen.add(event.documentId);
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

  /**
   * A document's access changed (`before` as it was, `rules` as stored now; undefined when
   * unknown or gone): readers that could read it (or were sent its events) and may no longer are
   * told, so they drop its past from view. Nobody else hears of the document.
   */
  accessChanged(documentId: string, before: AccessRules | undefined, rules: AccessRules | undefined): void {
    for (const subscriber of this.subscribers) {
      const couldRead = subscriber.seen.has(documentId) || (before !== undefined && mayRead(before, subscriber.subject));
      if (!couldRead || mayRead(rules, subscriber.subject)) continue;
      if (subscriber.documentId !== null && subscriber.documentId !== documentId) continue;
      subscriber.seen.delete(documentId);
      if (!subscriber.revoked(documentId)) {
        this.remove(subscriber);
        subscriber.end('reader fell behind');
      }
    }
  }

  /** Changes the subject of the readers `predicate` picks (an account became or stopped being an admin). */
  updateSubjects(predicate: (subject: AccessSubject) => boolean, changes: Partial<AccessSubject>): void {
    for (const subscriber of this.subscribers) {
      if (predicate(subscriber.subject)) subscriber.subject = { ...subscriber.subject, ...changes };
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

/** Documents remembered per reader; one that read past this many is not told of later revocations of new ones. */
const MAX_SEEN = 10_000;

function mayRead(rules: AccessRules | undefined, subject: AccessSubject): boolean {
  return rules ? roleOn(rules, subject) !== null : subject.admin;
}
