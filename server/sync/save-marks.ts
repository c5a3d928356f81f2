/**
 * One connection's save marks (Quire's extension of the protocol, see `shared/protocol.ts`).
 *
 * The room numbers the updates it hands to the writer, and commits complete in that order, so
 * "durable" is one counter per room rather than a promise per update. A mark is due once the
 * room has committed every update it had enqueued when this connection's last update before
 * the mark was applied. That covers the connection's own updates, and also anything they merely
 * repeated from another connection's update still in flight; it never waits for updates that
 * others send later, so an idle connection's mark is answered at once. While an update of this
 * connection is set aside for missing dependencies, later marks wait for the step 2 from this
 * connection that fills the gap (and then for its commit). Marks are answered strictly in order.
 */

/** At most this many marks wait per connection (a client pinging every second for a 17-minute outage). */
export const MAX_WAITING_SAVE_MARKS = 1024;

/** Raised when a connection has more marks waiting than allowed. */
export class TooManySaveMarksError extends Error {}

const NONE: readonly number[] = [];

/** A connection's unanswered save marks, in order. */
export class SaveMarks {
  private readonly seqs: number[] = [];
  /** For each waiting mark, how many room updates must be committed (Infinity: waiting for a gap to be filled). */
  private readonly dueAt: number[] = [];
  /** Room updates enqueued once this connection's latest update was applied. */
  private covered = 0;
  /** An update from this connection was set aside for missing dependencies and not yet filled in. */
  private gap = false;

  /** Whether any mark is waiting. */
  get waiting(): boolean {
    return this.seqs.length > 0;
  }

  /**
   * An update or step 2 from this connection was applied, leaving the room with `enqueued`
   * updates handed to the writer; `dropped` when part of it was set aside. Returns true when it
   * filled a gap, so marks held for it may be due at once.
   */
  applied(enqueued: number, dropped: boolean, isStep2: boolean): boolean {
    this.covered = enqueued;
    if (dropped) {
      this.gap = true;
      return false;
    }
    // Only a step 2 answers "send what I lack": it carries everything the gap was missing.
    if (!isStep2 || !this.gap) return false;
    this.gap = false;
    for (let i = this.dueAt.length - 1; i >= 0 && this.dueAt[i] === Infinity; i--) this.dueAt[i] = enqueued;
    return true;
  }

  /** Queues mark `seq`. Throws `TooManySaveMarksError` past `MAX_WAITING_SAVE_MARKS`. */
  add(seq: number): void {
    if (this.seqs.length >= MAX_WAITING_SAVE_MARKS) throw new TooManySaveMarksError(`more than ${MAX_WAITING_SAVE_MARKS} save marks waiting`);
    this.seqs.push(seq);
    this.dueAt.push(this.gap ? Infinity : this.covered);
  }

  /** Removes and returns, oldest first, the marks that are due once `committed` room updates are durable. */
  takeDue(committed: number): readonly number[] {
    let count = 0;
    while (count < this.dueAt.length && this.dueAt[count]! <= committed) count++;
    if (count === 0) return NONE;
    this.dueAt.splice(0, count);
    return this.seqs.splice(0, count);
  }
}
