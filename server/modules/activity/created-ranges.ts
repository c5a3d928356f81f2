/**
 * The Yjs struct ranges an edit burst created, per client: cheap to add to (clocks only grow),
 * cheap to ask ("did this burst create the struct at this clock?"), and the way back to what of
 * the burst's text survived at its end.
 */
import * as Y from 'yjs';

/** Ranges [start, end) of clocks per client, kept sorted and merged. */
export class CreatedRanges {
  private readonly byClient = new Map<number, [number, number][]>();

  add(client: number, start: number, end: number): void {
    if (end <= start) return;
    const ranges = this.byClient.get(client);
    if (!ranges) return void this.byClient.set(client, [[start, end]]);
    const last = ranges[ranges.length - 1]!;
    if (start <= last[1] && start >= last[0]) last[1] = Math.max(last[1], end);
    else {
      ranges.push([start, end]);
      if (start < last[0]) ranges.sort((a, b) => a[0] - b[0]);
    }
  }

  /** Adds every range of another set. */
  addAll(other: CreatedRanges): void {
    for (const [client, ranges] of other.byClient) for (const [start, end] of ranges) this.add(client, start, end);
  }

  has(client: number, clock: number): boolean {
    const ranges = this.byClient.get(client);
    if (!ranges) return false;
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const [start, end] = ranges[middle]!;
      if (clock < start) high = middle - 1;
      else if (clock >= end) low = middle + 1;
      else return true;
    }
    return false;
  }

  /**
   * The parts of [start, end) of `client` that these ranges do not hold, in order. Yjs merges
   * and splits structs, so one deleted struct may hold text from before the burst and from it.
   */
  outside(client: number, start: number, end: number): [number, number][] {
    const parts: [number, number][] = [];
    let from = start;
    for (const [rangeStart, rangeEnd] of this.byClient.get(client) ?? []) {
      if (rangeEnd <= from) continue;
      if (rangeStart >= end) break;
      if (rangeStart > from) parts.push([from, rangeStart]);
      from = Math.max(from, rangeEnd);
      if (from >= end) break;
    }
    if (from < end) parts.push([from, end]);
    return parts;
  }

  /**
   * Visits, in clock order per client, every struct of `doc` that overlaps the ranges, with the
   * clocks [from, to) of it that lie inside: Yjs merges a struct with its neighbours once they
   * are all in, so one struct may hold text from before the burst too.
   */
  forEachStruct(doc: Y.Doc, visit: (struct: Y.Item | Y.GC, from: number, to: number) => void): void {
    for (const [client, ranges] of this.byClient) {
      const structs = doc.store.clients.get(client);
      if (!structs) continue;
      for (const [start, end] of ranges) {
        for (let index = Y.findIndexSS(structs, start); index < structs.length; index++) {
          const struct = structs[index]!;
          if (struct.id.clock >= end) break;
          visit(struct as Y.Item | Y.GC, Math.max(start, struct.id.clock), Math.min(end, struct.id.clock + struct.length));
        }
      }
    }
  }
}
