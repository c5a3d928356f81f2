/**
 * A room's structure against `MAX_NESTING_DEPTH` and `MAX_DOCUMENT_NODES`, checked on every
 * update a connection sends, before it is applied: a frame that would nest blocks too deep or
 * hold too many of them is refused whole, so the document stays as it was.
 *
 * The check costs what the update costs, never a walk of the document: an update that creates
 * no shared type (typing, formatting, deleting) is let through from a scan of its bytes. Any
 * other is decoded: the check finds the parent of each new shared type (named, or inherited from
 * the neighbour it was inserted next to, in the update or in the document) and counts levels up
 * to the root. Levels
 * of types already in the document are remembered for the life of the room (an item never
 * changes parent); levels of the update's own types for that update. The node count is kept
 * exact from each transaction's own changes.
 */
import * as Y from 'yjs';
import { mayCreateTypes } from './update-reader.ts';

/** Bounds on a document's structure (see `config.ts`). */
export interface StructureLimits {
  /** Deepest nesting of blocks; a text run inside the deepest block is allowed. */
  maxNestingDepth: number;
  /** Most shared types (blocks, text runs) a document may hold. */
  maxDocumentNodes: number;
}

/** Raised when an update would pass a structure limit; the connection is closed with 4413. */
export class DocumentStructureError extends Error {}

/** Where a new type sits: at the root, under a type in the document, or under a type of the same update. */
type Parent = { root: true } | { type: Y.AbstractType<unknown> } | { item: Y.Item };
const ROOT: Parent = { root: true };

type Struct = Y.Item | Y.GC | Y.Skip;
/** Yjs does not export its DeleteSet class by name. */
type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/** A shared type's item (a block, a text run, a map). */
function isTypeItem(struct: unknown): struct is Y.Item & { content: Y.ContentType } {
  return struct instanceof Y.Item && struct.content instanceof Y.ContentType;
}

/** The structure budget of one document. */
export class DocumentStructure {
  /** Live shared types in the document. */
  private nodes = 0;
  /** Levels below the root of types in the document (0 for root types). */
  private readonly levels = new WeakMap<Y.AbstractType<unknown>, number>();

  constructor(private readonly limits: StructureLimits) {}

  /** Live shared types, as counted. */
  get nodeCount(): number {
    return this.nodes;
  }

  /** Counts a freshly loaded document's nodes (once, when its room opens). */
  measure(doc: Y.Doc): void {
    let nodes = 0;
    for (const structs of doc.store.clients.values()) {
      for (const struct of structs) if (isTypeItem(struct) && !struct.deleted) nodes++;
    }
    this.nodes = nodes;
  }

  /** Keeps the count exact after any transaction (from peers, other instances, restores), from its own changes. */
  observe(transaction: Y.Transaction): void {
    const store = transaction.doc.store;
    let delta = 0;
    transaction.afterState.forEach((after, client) => {
      const before = transaction.beforeState.get(client) ?? 0;
      const structs = store.clients.get(client);
      if (after === before || !structs) return;
      for (let index = Y.findIndexSS(structs, before); index < structs.length; index++) {
        const struct = structs[index]!;
        if (struct.id.clock >= after) break;
        if (isTypeItem(struct) && !struct.deleted) delta++;
      }
    });
    Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
      if (isTypeItem(struct) && struct.id.clock < (transaction.beforeState.get(struct.id.client) ?? 0)) delta--;
    });
    this.nodes += delta;
  }

  /**
   * Throws `DocumentStructureError` when applying `update` to `doc` would nest a type deeper
   * than allowed or hold more nodes than allowed. Only what is new counts: a reconnect's step 2
   * repeats what the document has, and deleting is always possible. `nodesInFlight`: nodes that
   * earlier updates of the same transaction added, not yet counted (see `observe`). Returns the
   * nodes this update adds, at most.
   */
  check(doc: Y.Doc, update: Uint8Array, nodesInFlight = 0): number {
    // Typing, formatting and deleting create no type, so nothing can nest or count: read from
    // the bytes, which spares a keystroke a second full decode beside the one applying it.
    if (!mayCreateTypes(update)) return 0;
    const { structs, ds } = Y.decodeUpdate(update);
    const ancestry = new UpdateAncestry(doc, structs, this.levels);
    const added: Y.Item[] = [];
    for (const struct of structs) {
      if (!isTypeItem(struct) || struct.id.clock < Y.getState(doc.store, struct.id.client)) continue;
      added.push(struct);
      const level = ancestry.levelOf(struct);
      // A text run may sit inside the deepest block allowed; anything else counts as a block.
      const allowed = this.limits.maxNestingDepth + (struct.content.type instanceof Y.Text ? 1 : 0);
      if (level !== null && level > allowed) {
        throw new DocumentStructureError(`document would nest deeper than ${this.limits.maxNestingDepth} levels (MAX_NESTING_DEPTH)`);
      }
    }
    const nodes = this.nodes + nodesInFlight;
    if (added.length === 0 || nodes + added.length <= this.limits.maxDocumentNodes) return added.length;
    // Past the limit on additions alone: credit what the update deletes before refusing it.
    const alive = added.filter((item) => !Y.isDeleted(ds, item.id)).length;
    if (nodes + alive - removedTypes(doc, ds) > this.limits.maxDocumentNodes) {
      throw new DocumentStructureError(`document would hold more than ${this.limits.maxDocumentNodes} nodes (MAX_DOCUMENT_NODES)`);
    }
    return alive;
  }
}

/** Live types of `doc` that the delete set `ds` removes. */
function removedTypes(doc: Y.Doc, ds: DeleteSet): number {
  let removed = 0;
  ds.clients.forEach((ranges, client) => {
    const structs = doc.store.clients.get(client);
    const state = Y.getState(doc.store, client);
    if (!structs) return;
    for (const range of ranges) {
      if (range.clock >= state) continue;
      const end = range.clock + range.len;
      for (let index = Y.findIndexSS(structs, range.clock); index < structs.length; index++) {
        const struct = structs[index]!;
        if (struct.id.clock >= end) break;
        if (isTypeItem(struct) && !struct.deleted) removed++;
      }
    }
  });
  return removed;
}

/**
 * The ancestry of one update's new items, resolved without applying it. An item names its
 * parent, or (when inserted next to another) takes its neighbour's; either may be in the update
 * or in the document. Every answer is remembered for the update, so chains cost their length once.
 */
class UpdateAncestry {
  private readonly byClient = new Map<number, Struct[]>();
  private readonly parents = new Map<Y.Item, Parent | null>();
  private readonly newLevels = new Map<Y.Item, number | null>();
  /** A malformed update may loop (a parent inside its own subtree): no honest chain is longer than the update. */
  private readonly longestChain: number;

  constructor(
    private readonly doc: Y.Doc,
    structs: Struct[],
    private readonly docLevels: WeakMap<Y.AbstractType<unknown>, number>,
  ) {
    this.longestChain = structs.length;
    // An update lists each client's structs in clock order.
    for (const struct of structs) {
      const list = this.byClient.get(struct.id.client);
      if (list) list.push(struct);
      else this.byClient.set(struct.id.client, [struct]);
    }
  }

  /** Levels below the root of a new type item; null when it will not be integrated as a type (its parent is gone or unknown). */
  levelOf(item: Y.Item): number | null {
    const chain: Y.Item[] = [];
    let current = item;
    let base: number | null;
    for (;;) {
      const known = this.newLevels.get(current);
      if (known !== undefined) {
        base = known;
        break;
      }
      chain.push(current);
      const parent = this.parentOf(current);
      if (parent === null || chain.length > this.longestChain) base = null;
      else if ('root' in parent) base = 0;
      else if ('type' in parent) base = this.docLevel(parent.type);
      else {
        current = parent.item;
        continue;
      }
      break;
    }
    for (let index = chain.length - 1; index >= 0; index--) {
      base = base === null ? null : base + 1;
      this.newLevels.set(chain[index]!, base);
    }
    return this.newLevels.get(item) ?? null;
  }

  private docLevel(type: Y.AbstractType<unknown>): number {
    const chain: Y.AbstractType<unknown>[] = [];
    let current = type;
    let base: number;
    for (;;) {
      const known = this.docLevels.get(current);
      if (known !== undefined) {
        base = known;
        break;
      }
      const item = current._item;
      if (item === null || !(item.parent instanceof Y.AbstractType)) {
        base = 0;
        this.docLevels.set(current, 0);
        break;
      }
      chain.push(current);
      current = item.parent;
    }
    for (let index = chain.length - 1; index >= 0; index--) this.docLevels.set(chain[index]!, ++base);
    return this.docLevels.get(type)!;
  }

  /** The parent an item of the update will have once applied. */
  private parentOf(item: Y.Item): Parent | null {
    const chain: Y.Item[] = [];
    let current = item;
    let parent: Parent | null = null;
    for (let steps = 0; ; steps++) {
      const known = this.parents.get(current);
      if (known !== undefined) {
        parent = known;
        break;
      }
      chain.push(current);
      const named = current.parent as unknown;
      if (typeof named === 'string') parent = ROOT;
      else if (named instanceof Y.ID) parent = this.typeAt(named);
      else {
        // Placed next to a neighbour: the same parent as it.
        const neighbourId = current.origin ?? current.rightOrigin;
        const neighbour = neighbourId ? this.find(neighbourId) : null;
        if (neighbour instanceof Y.Item && steps < this.longestChain) {
          if (this.inDocument(neighbour.id)) {
            parent = neighbour.parent instanceof Y.AbstractType ? { type: neighbour.parent } : null;
          } else {
            current = neighbour;
            continue;
          }
        }
      }
      break;
    }
    for (const link of chain) this.parents.set(link, parent);
    return parent;
  }

  /** The type whose item has `id`, as a parent; null when that item is no type (or was deleted and collected). */
  private typeAt(id: Y.ID): Parent | null {
    const struct = this.find(id);
    if (!isTypeItem(struct)) return null;
    return this.inDocument(id) ? { type: struct.content.type } : { item: struct };
  }

  private inDocument(id: Y.ID): boolean {
    return id.clock < Y.getState(this.doc.store, id.client);
  }

  /** The struct holding `id`: the document's when it has it, else the update's; null when neither does. */
  private find(id: Y.ID): Struct | null {
    if (this.inDocument(id)) {
      const structs = this.doc.store.clients.get(id.client)!;
      return structs[Y.findIndexSS(structs, id.clock)] ?? null;
    }
    const list = this.byClient.get(id.client);
    if (!list) return null;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const struct = list[middle]!;
      if (id.clock < struct.id.clock) high = middle - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
      else return struct;
    }
    return null;
  }
}
