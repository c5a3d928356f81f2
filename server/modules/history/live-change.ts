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
   * on, as `doc` holds them now, and the union of the noted delete sets.
   *
   * Built from Yjs's public encoders only. `encodeStateAsUpdate` against a state vector that is
   * current everywhere but at the noted clients writes exactly those structs, followed by the whole
   * document's delete set; a V1 update is its structs then its delete set, and a V1 snapshot is a
   * delete set then a state vector, so the delete set's bytes are a snapshot's without its (empty)
   * state vector. The whole document's delete set is cut off the end and this author's put in its
   * place. Should the tail not be that delete set (Yjs merged in pending updates it holds), the
   * update is kept whole: the author's structs are right, only deletions are over-attributed.
   */
  encode(doc: Y.Doc): Uint8Array {
    const target = new Map<number, number>();
    for (const client of doc.store.clients.keys()) target.set(client, Y.getState(doc.store, client));
    for (const [client, clock] of this.starts) if (target.has(client)) target.set(client, Math.min(clock, target.get(client)!));
    const update = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(target));
    const documentDeletes = deleteSetBytes(Y.createDeleteSetFromStructStore(doc.store));
    const structsEnd = update.byteLength - documentDeletes.byteLength;
    if (structsEnd < 0 || !equalBytes(update.subarray(structsEnd), documentDeletes)) return update;
    const ownDeletes = deleteSetBytes(Y.mergeDeleteSets(this.deleteSets));
    const change = new Uint8Array(structsEnd + ownDeletes.byteLength);
    change.set(update.subarray(0, structsEnd));
    change.set(ownDeletes, structsEnd);
    return change;
  }
}

/** A delete set as a V1 update writes it: a V1 snapshot's bytes without its empty state vector (one zero byte). */
function deleteSetBytes(deleteSet: DeleteSet): Uint8Array {
  const snapshot = Y.encodeSnapshot(Y.createSnapshot(deleteSet, new Map()));
  return snapshot.subarray(0, snapshot.byteLength - 1);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index]);
}
