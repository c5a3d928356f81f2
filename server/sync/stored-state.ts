/**
 * A document's whole state held as one update's bytes rather than as a Y.Doc. A Y.Doc holds ten
 * times or more its encoded size in structs and maps; most open documents are only read (a
 * viewer, a tab left open, a reconnect), and those need nothing more than this: the state vector
 * to greet with, the difference a joiner lacks, and whether what a peer sends back is new.
 */
import * as Y from 'yjs';
import { EMPTY_UPDATE, isEmptyUpdate, sameBytes } from './update-bytes.ts';
import { stateVectorOfUpdate } from './update-reader.ts';

export class StoredState {
  /** The state vector of `update`, encoded. */
  readonly stateVector: Uint8Array;
  /** The deletions of `update` alone, in the canonical form `Y.mergeUpdates` writes; read on first need. */
  private deletes: Uint8Array | null = null;

  /** `rows`: the stored updates of the document, in the order they were stored. */
  constructor(rows: readonly Uint8Array[]) {
    this.update = rows.length === 0 ? EMPTY_UPDATE : rows.length === 1 ? rows[0]! : Y.mergeUpdates(rows as Uint8Array[]);
    this.stateVector = stateVectorOfUpdate(this.update);
  }

  /** Everything the document holds, as one update. */
  readonly update: Uint8Array;

  /** What a peer at `stateVector` lacks (all of it when none is given). */
  diff(stateVector?: Uint8Array): Uint8Array {
    // A peer with nothing yet (every joiner with an empty cache) gets the bytes as they are.
    if (!stateVector || Y.decodeStateVector(stateVector).size === 0) return this.update;
    return Y.diffUpdate(this.update, stateVector);
  }

  /**
   * Whether applying `update` would change nothing: every struct it carries and every deletion is
   * here already (a reconnecting client's step 2 of state the server has). False when it cannot
   * tell, malformed bytes included: the caller then applies it to a Y.Doc, which checks it fully.
   */
  contains(update: Uint8Array): boolean {
    try {
      const unknown = Y.diffUpdate(update, this.stateVector);
      // Byte 0 of an update is how many clients it carries structs of.
      if (unknown[0] !== 0) return false;
      // No deletions either (a joiner with nothing of its own): spares reading the stored deletions.
      if (isEmptyUpdate(unknown)) return true;
      this.deletes ??= Y.mergeUpdates([Y.diffUpdate(this.update, this.stateVector), EMPTY_UPDATE]);
      // Merging only ever adds deletions, so an unchanged result means they were all here.
      return sameBytes(Y.mergeUpdates([this.deletes, unknown]), this.deletes);
    } catch {
      return false;
    }
  }
}
