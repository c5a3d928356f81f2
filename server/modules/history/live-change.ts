/**
 * What a burst changed, read from the live document instead of merging the updates that made
 * it: per author, the Yjs clients it wrote to (from which clock) and the delete sets of its
 * transactions. Recording that per transaction costs a glance at the transaction; at the burst's
 * end one V1 update is written from the document's own structs, already merged by Yjs (a
 * keystroke joins the item before it), so 200 keystrokes cost a few structs rather than a merge
 * of 200 updates. Content typed and deleted within the burst is held as deleted (garbage
 * collected), which no revision can show anyway.
 */
import * as Y from 'yjs';

type DeleteSet = Y.Transaction['deleteSet'];

/** One author's changes since the last revision: the first clock of each client it wrote to, and what it deleted. */
export class AuthorChanges {
  readonly starts = new Map<number, number>();
  readonly deleteSets: DeleteSet[] = [];

  /** Notes what one transaction of this author changed. */
  add(transaction: Y.Transaction): void {
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0;
      if (before !== after && !this.starts.has(client)) this.starts.set(client, before);
    }
    if (transaction.deleteSet.clients.size > 0) this.deleteSets.push(transaction.deleteSet);
  }

  /** Whether the transactions noted changed anything. */
  get isEmpty(): boolean {
    return this.starts.size === 0 && this.deleteSets.length === 0;
  }

  /**
   * The change as one Yjs update (V1): every struct of the noted clients from their first clock
   * on, as `doc` holds them now, then the union of the noted delete sets.
   *
   * Written with Yjs's exported encoder and structs, in the layout of a V1 update: the number of
   * clients, then per client (highest id first, as Yjs writes them) the struct count, the client,
   * the first clock and the structs, the first one cut at that clock. `encodeStateAsUpdate` would
   * write the same structs but then the whole document's delete set, which costs a walk of every
   * struct the document holds: on a long document that walk, twice per revision, was most of
   * what history cost.
   */
  encode(doc: Y.Doc): Uint8Array {
    const encoder = new Y.UpdateEncoderV1();
    const written = [...this.starts].filter(([client, start]) => Y.getState(doc.store, client) > start).sort(([a], [b]) => b - a);
    encoder.writeLen(written.length);
    for (const [client, start] of written) {
      const structs = doc.store.clients.get(client)!;
      const clock = Math.max(start, structs[0]!.id.clock);
      const first = Y.findIndexSS(structs, clock);
      encoder.writeLen(structs.length - first);
      encoder.writeClient(client);
      encoder.writeLen(clock);
      structs[first]!.write(encoder, clock - structs[first]!.id.clock);
      for (let index = first + 1; index < structs.length; index++) structs[index]!.write(encoder, 0);
    }
    const structBytes = encoder.toUint8Array();
    const ownDeletes = deleteSetBytes(Y.mergeDeleteSets(this.deleteSets));
    const change = new Uint8Array(structBytes.byteLength + ownDeletes.byteLength);
    change.set(structBytes);
    change.set(ownDeletes, structBytes.byteLength);
    return change;
  }
}

/** A delete set as a V1 update writes it: a V1 snapshot's bytes without its empty state vector (one zero byte). */
function deleteSetBytes(deleteSet: DeleteSet): Uint8Array {
  const snapshot = Y.encodeSnapshot(Y.createSnapshot(deleteSet, new Map()));
  return snapshot.subarray(0, snapshot.byteLength - 1);
}
