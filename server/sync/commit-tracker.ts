/**
 * What of a room is durable. The room counts the updates it hands to the writer, and the writer
 * commits them in that order, so durability is two counters rather than a promise per update:
 * callbacks waiting for "everything so far" and the connections' save marks are answered from
 * them, the marks once per commit batch.
 */
import type { Connection } from './connection.ts';
import { encodeSaveMark } from './protocol.ts';

/** Durability of one room's updates. */
export class CommitTracker {
  private enqueuedCount = 0;
  private committedCount = 0;
  private afterCommit: (() => void)[] = [];
  /** Connections with save marks waiting for a commit, and whether answering them is scheduled. */
  private readonly markWaiters = new Set<Connection>();
  private answering = false;

  /** Updates handed to the writer so far. */
  get enqueued(): number {
    return this.enqueuedCount;
  }

  /** Whether every update handed to the writer is durable. */
  get settled(): boolean {
    return this.committedCount === this.enqueuedCount;
  }

  /** An update was handed to the writer. */
  enqueue(): void {
    this.enqueuedCount++;
  }

  /** The oldest `count` updates not yet durable are. Marks they made due are answered once the batch is through. */
  committed(count = 1): void {
    this.committedCount += count;
    if (this.markWaiters.size === 0 || this.answering) return;
    // The writer calls back for every update of a commit in one go: answer once, after them.
    this.answering = true;
    queueMicrotask(this.answerWaiting);
  }

  /** Runs the callbacks waiting for everything to be durable, if it is. */
  runIfSettled(): void {
    if (!this.settled) return;
    const callbacks = this.afterCommit;
    this.afterCommit = [];
    for (const callback of callbacks) callback();
  }

  /** Runs `callback` once every update enqueued so far is durable (at once if it is). */
  whenCommitted(callback: () => void): void {
    if (this.settled) callback();
    else this.afterCommit.push(callback);
  }

  /**
   * Queues a save mark and answers every mark of that connection that is due (at once when
   * nothing it covers is pending). Throws `TooManySaveMarksError` when too many wait.
   */
  saveMark(connection: Connection, seq: number): void {
    connection.saveMarks.add(seq);
    this.answerSaveMarks(connection);
  }

  /** Sends a connection the acknowledgements of its marks that are due, in order. */
  answerSaveMarks(connection: Connection): void {
    for (const seq of connection.saveMarks.takeDue(this.committedCount)) connection.send(encodeSaveMark(seq));
    if (connection.saveMarks.waiting && connection.isOpen) this.markWaiters.add(connection);
    else this.markWaiters.delete(connection);
  }

  /** A connection left: its marks are never answered. */
  forget(connection: Connection): void {
    this.markWaiters.delete(connection);
  }

  private readonly answerWaiting = (): void => {
    this.answering = false;
    for (const connection of this.markWaiters) this.answerSaveMarks(connection);
  };
}
