/**
 * Joining updates that follow one another into one, by copying their bytes. Updates a client
 * sends one after the other, and the updates of successive transactions of one document, hold
 * for each client a run of structs that starts where the previous one ended: laid end to end
 * they are one valid update, without decoding a single struct. `Y.mergeUpdates` decodes every
 * struct into an object and writes it again, which made it the largest single cost of a fast
 * stream of edits (about as much as applying them).
 *
 * Only the contiguous case is handled; for anything else (gaps, repeats, Skip structs, bytes
 * that do not read as Yjs writes them) `concatUpdates` returns null and the caller takes Yjs's
 * own path. The result differs from `Y.mergeUpdates`'s only in not joining neighbouring
 * structs into one (Yjs joins them when it integrates them): applied, it gives the same document.
 */
import * as encoding from 'lib0/encoding';
import { readLayout } from './update-reader.ts';

/** One client's structs, gathered from the updates in order. */
interface ClientRun {
  clock: number;
  end: number;
  structs: number;
  /** [update, start, stop] per piece, flat. */
  pieces: (Uint8Array | number)[];
}

/**
 * The updates as one, when each client's structs in each update start where that client's
 * structs in the previous updates ended (or the client is new); null otherwise.
 */
export function concatUpdates(updates: readonly Uint8Array[]): Uint8Array | null {
  const runs = new Map<number, ClientRun>();
  const deletions = new Map<number, number[]>();
  for (const update of updates) {
    const layout = readLayout(update);
    if (!layout) return null;
    for (const segment of layout.segments) {
      const run = runs.get(segment.client);
      if (!run) {
        runs.set(segment.client, { clock: segment.clock, end: segment.end, structs: segment.structs, pieces: [update, segment.start, segment.stop] });
        continue;
      }
      if (segment.clock !== run.end) return null;
      run.end = segment.end;
      run.structs += segment.structs;
      run.pieces.push(update, segment.start, segment.stop);
    }
    const flat = layout.deletions;
    for (let i = 0; i < flat.length; i += 3) {
      const client = flat[i]!;
      let ranges = deletions.get(client);
      if (!ranges) deletions.set(client, (ranges = []));
      ranges.push(flat[i + 1]!, flat[i + 2]!);
    }
  }
  const encoder = encoding.createEncoder();
  // Clients in descending order, as Yjs writes them.
  const clients = [...runs.keys()].sort((a, b) => b - a);
  encoding.writeVarUint(encoder, clients.length);
  for (const client of clients) {
    const run = runs.get(client)!;
    encoding.writeVarUint(encoder, run.structs);
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, run.clock);
    for (let i = 0; i < run.pieces.length; i += 3) copyBytes(encoder, run.pieces[i] as Uint8Array, run.pieces[i + 1] as number, run.pieces[i + 2] as number);
  }
  writeDeletions(encoder, deletions);
  return encoding.toUint8Array(encoder);
}

/**
 * Writes `bytes[start, stop)` byte by byte: a `subarray` would need the source's ArrayBuffer,
 * which the runtime creates (moving the bytes) for each small array that has none yet.
 */
function copyBytes(encoder: encoding.Encoder, bytes: Uint8Array, start: number, stop: number): void {
  for (let i = start; i < stop; i++) encoding.write(encoder, bytes[i]!);
}

/** Writes the deletions as Yjs writes a delete set: clients descending, ranges sorted and merged. */
function writeDeletions(encoder: encoding.Encoder, deletions: Map<number, number[]>): void {
  const clients = [...deletions.keys()].sort((a, b) => b - a);
  encoding.writeVarUint(encoder, clients.length);
  for (const client of clients) {
    const merged = mergeRanges(deletions.get(client)!);
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, merged.length / 2);
    for (let i = 0; i < merged.length; i++) encoding.writeVarUint(encoder, merged[i]!);
  }
}

/** Flat (clock, length) ranges sorted by clock, overlapping and touching ones joined. */
function mergeRanges(flat: number[]): number[] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) ranges.push([flat[i]!, flat[i + 1]!]);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [clock, length] of ranges) {
    const last = merged.length - 2;
    if (last >= 0 && merged[last]! + merged[last + 1]! >= clock) {
      merged[last + 1] = Math.max(merged[last + 1]!, clock + length - merged[last]!);
    } else {
      merged.push(clock, length);
    }
  }
  return merged;
}
