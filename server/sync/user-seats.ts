/**
 * Sync connections per account, per document and in all: a seat is taken when an upgrade is
 * accepted (before the socket opens, so a burst of upgrades cannot all pass the check at once)
 * and given back when the socket closes, or when an accepted upgrade never opens.
 */

/** Which cap an account reached. */
export type SeatRefusal = 'per-document' | 'overall';

interface Held {
  total: number;
  perDocument: Map<string, number>;
}

/** One connection's seat. */
export interface Seat {
  /** The socket opened: the seat is kept until `release`. */
  claim(): void;
  /** Gives the seat back; safe to call more than once. */
  release(): void;
}

/** The seats every account holds on this instance. */
export class UserSeats {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly perDocument: number,
    private readonly overall: number,
    /** An accepted upgrade whose socket has not opened after this long gives its seat back. */
    private readonly unclaimedMs = 10_000,
  ) {}

  /** Takes a seat for `userId` on `documentId`, or says which cap it reached. */
  reserve(userId: string, documentId: string): Seat | SeatRefusal {
    const held = this.held.get(userId) ?? { total: 0, perDocument: new Map<string, number>() };
    const onDocument = held.perDocument.get(documentId) ?? 0;
    if (onDocument >= this.perDocument) return 'per-document';
    if (held.total >= this.overall) return 'overall';
    held.total++;
    held.perDocument.set(documentId, onDocument + 1);
    this.held.set(userId, held);
    return new HeldSeat(this, userId, documentId, this.unclaimedMs);
  }

  /** Seats `userId` holds, on one document or in all. */
  count(userId: string, documentId?: string): number {
    const held = this.held.get(userId);
    if (!held) return 0;
    return documentId === undefined ? held.total : (held.perDocument.get(documentId) ?? 0);
  }

  /** Frees a seat (called once per seat, by `HeldSeat`). */
  giveBack(userId: string, documentId: string): void {
    const held = this.held.get(userId);
    if (!held) return;
    held.total--;
    const onDocument = (held.perDocument.get(documentId) ?? 1) - 1;
    if (onDocument > 0) held.perDocument.set(documentId, onDocument);
    else held.perDocument.delete(documentId);
    if (held.total <= 0) this.held.delete(userId);
  }
}

/** A seat taken: a class, since every open connection holds one for its life. */
class HeldSeat implements Seat {
  private expiry: ReturnType<typeof setTimeout> | null;
  private released = false;

  constructor(
    private readonly seats: UserSeats,
    private readonly userId: string,
    private readonly documentId: string,
    unclaimedMs: number,
  ) {
    this.expiry = setTimeout(() => this.release(), unclaimedMs);
    this.expiry.unref?.();
  }

  claim(): void {
    this.stopExpiry();
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.stopExpiry();
    this.seats.giveBack(this.userId, this.documentId);
  }

  /** Cleared and dropped: an open connection keeps no timer. */
  private stopExpiry(): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
  }
}
