/**
 * A room's document: its stored state as bytes (`StoredState`) until something needs a Y.Doc,
 * the Y.Doc from then on, and bytes again once the room lets the Y.Doc go. A Y.Doc holds ten
 * times or more its stored size, and most open documents are only read: joiners are greeted and
 * answered from the bytes, and the Y.Doc is built for the first change or a reader of the live
 * content.
 */
import * as Y from 'yjs';
import { StoredState } from './stored-state.ts';

/** What the room does as its Y.Doc comes and goes. */
export interface DocumentHooks {
  /** The Y.Doc was built from the stored state, before any change is applied to it. */
  loaded(doc: Y.Doc): void;
  /** The Y.Doc is being let go, before it is destroyed. */
  unloading(doc: Y.Doc): void;
}

export class RoomDocument {
  /** The document as stored, while no Y.Doc is built; null while `live` is. */
  private stored: StoredState | null;
  private live: Y.Doc | null = null;

  /** `rows`: the stored updates of the document, in the order they were stored. */
  constructor(
    rows: readonly Uint8Array[],
    private readonly hooks: DocumentHooks,
  ) {
    this.stored = new StoredState(rows);
  }

  /** The live document, built from the stored state on first use. */
  get doc(): Y.Doc {
    return this.live ?? this.load();
  }

  /** The live document if it was built, else null (readers that can do with the stored state). */
  get liveDoc(): Y.Doc | null {
    return this.live;
  }

  /** The document's state vector, encoded. */
  stateVector(): Uint8Array {
    return this.live ? Y.encodeStateVector(this.live) : this.stored!.stateVector;
  }

  /** What a peer at `stateVector` lacks, as one update (everything when none is given). */
  encodeStateAsUpdate(stateVector?: Uint8Array): Uint8Array {
    return this.live ? Y.encodeStateAsUpdate(this.live, stateVector) : this.stored!.diff(stateVector);
  }

  /** Whether the document, not built yet, already holds all of `update` (false once built). */
  holds(update: Uint8Array): boolean {
    return this.stored?.contains(update) ?? false;
  }

  /** Lets the Y.Doc go, keeping its state as bytes again. */
  unload(): void {
    const doc = this.live;
    if (!doc) return;
    this.stored = new StoredState([Y.encodeStateAsUpdate(doc)]);
    this.live = null;
    this.hooks.unloading(doc);
    doc.destroy();
  }

  /** Releases the Y.Doc, if one was built (the room closes). */
  destroy(): void {
    this.live?.destroy();
  }

  private load(): Y.Doc {
    const doc = new Y.Doc({ gc: true });
    Y.applyUpdate(doc, this.stored!.update, 'storage');
    this.stored = null;
    this.live = doc;
    this.hooks.loaded(doc);
    return doc;
  }
}
