/**
 * A room's size against `MAX_DOCUMENT_BYTES`. The running estimate is the sum of the updates
 * applied (reset by compaction); it overstates after deletions, so it is re-measured before
 * anything is refused. Only what is new counts: a reconnect's step 2 repeats what the server
 * has, and deleting text must stay possible, since a stock client closed with 4413 never
 * comes back.
 */
import * as Y from 'yjs';

/** Raised when an update would grow the document past its size limit. */
export class DocumentTooLargeError extends Error {}

/** Bytes of structs in `update` that `doc` lacks (0 when it only deletes or repeats). */
function newContentBytes(doc: Y.Doc, update: Uint8Array): number {
  const diff = Y.diffUpdate(update, Y.encodeStateVector(doc));
  return Y.parseUpdateMeta(diff).from.size === 0 ? 0 : diff.byteLength;
}

/** The size budget of one document. */
export class DocumentSize {
  private bytes = 0;

  constructor(private readonly limit: number) {}

  /** An update was applied (or loaded). */
  add(bytes: number): void {
    this.bytes += bytes;
  }

  /** The document was measured (a snapshot of it written). */
  reset(bytes: number): void {
    this.bytes = bytes;
  }

  /** Whether `update` fits whatever the document holds, so `check` need not look at it. */
  fitsUnchecked(update: Uint8Array, bytesInFlight = 0): boolean {
    return this.bytes + bytesInFlight + update.byteLength <= this.limit;
  }

  /**
   * Throws `DocumentTooLargeError` when applying `update` to `doc` would pass the limit.
   * `bytesInFlight`: what earlier updates of the same transaction applied, not yet counted.
   */
  check(doc: Y.Doc, update: Uint8Array, bytesInFlight = 0): void {
    if (this.fitsUnchecked(update, bytesInFlight)) return;
    const added = newContentBytes(doc, update);
    if (added === 0 || this.bytes + bytesInFlight + added <= this.limit) return;
    // Measured from the document itself, which already holds the transaction's earlier updates.
    this.bytes = Y.encodeStateAsUpdate(doc).byteLength - bytesInFlight;
    if (this.bytes + bytesInFlight + added > this.limit) throw new DocumentTooLargeError(`document would exceed ${this.limit} bytes (MAX_DOCUMENT_BYTES)`);
  }
}
