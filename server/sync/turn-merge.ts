/**
 * Taking what one client sent in one event-loop turn together: the connection applies it as one
 * transaction, the room merges one sender's updates while a commit is in flight. Both keep to
 * the same limits.
 */
import * as Y from 'yjs';
import { concatUpdates } from './update-concat.ts';

/**
 * Most updates taken together: one transaction (the connection) or one merged row (the room).
 * `Y.mergeUpdates` costs about 4 µs an update up to a hundred of them, and grows faster than
 * their number past that (19 µs each for a thousand).
 */
export const MAX_MERGED_UPDATES = 64;

/** Most bytes merged into one: keystrokes and small pastes; merging a large insertion would only make one longer stall. */
export const MAX_MERGED_BYTES = 64 * 1024;

/**
 * The updates as one (the update itself when there is one). Successive transactions of one
 * document join by their bytes (`concatUpdates`); Yjs's merge is left for the rest (another
 * instance's change in between).
 */
export function mergeTurn(updates: readonly Uint8Array[]): Uint8Array {
  if (updates.length === 1) return updates[0]!;
  return concatUpdates(updates) ?? Y.mergeUpdates(updates as Uint8Array[]);
}
