/** Small facts about encoded Yjs updates and state vectors, shared by the sync, cluster and history code. */

/** An update with no structs and no deletions. */
export const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** Whether an update carries no structs and no deletions (what Yjs encodes when nothing is missing). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength <= 2;
}

/** Whether two encodings (updates, state vectors) are byte for byte the same. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index]);
}
