/**
 * Collects, per open document, the durable changes its connections on this instance made since
 * the last revision, per author. A revision takes them (`take`); changes made on other instances
 * are taken by theirs. When a document opens, whatever it holds beyond its newest revision
 * (content from before history, or edits whose revision a crash lost) is collected too, so
 * every revision adds up to what clients saw.
 */
import * as Y from 'yjs';
import type { Logger } from '../../logger.ts';
import type { Store } from '../../storage/store.ts';
import type { Connection } from '../../sync/connection.ts';
import type { Room, RoomObserver } from '../../sync/room.ts';
import type { ChangePart } from './changes.ts';

/** Pending changes of one open document. */
interface Pending {
  parts: ChangePart[];
}

/** Room observer that keeps what the next revision of each open document will hold. */
export class RevisionCapture implements RoomObserver {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  onOpen(room: Room): void {
    this.pending.set(room.id, { parts: [] });
    void this.catchUp(room);
  }

  onCommitted(room: Room, update: Uint8Array, sender: Connection | null): void {
    // Only what a connection sent; a restore records its own change.
    if (sender) this.pending.get(room.id)?.parts.push({ userId: sender.user.id, update });
  }

  onClose(room: Room): void {
    this.pending.delete(room.id);
  }

  /** Adds a change made outside any connection (a restore), to be taken with the rest. */
  add(documentId: string, part: ChangePart): void {
    this.pending.get(documentId)?.parts.push(part);
  }

  /**
   * Takes the changes collected so far for a document's next revision (none if it is not open
   * here), as they came: merging them costs CPU on the event loop, and reads merge anyway.
   */
  take(documentId: string): ChangePart[] {
    const pending = this.pending.get(documentId);
    if (!pending || pending.parts.length === 0) return [];
    const parts = pending.parts;
    pending.parts = [];
    return parts;
  }

  /**
   * Collects what the document holds beyond its newest revision. Without any revision that is
   * all of it: the stored rows are that state already, so they are taken as they are rather than
   * encoded again from the document (which would hold the event loop for a large one).
   */
  private async catchUp(room: Room): Promise<void> {
    try {
      const revised = await this.store.history.latestStateVector(room.id);
      if (!this.pending.has(room.id) || room.doc.isDestroyed) return;
      let beyond: Uint8Array[];
      if (revised) {
        if (sameBytes(revised, Y.encodeStateVector(room.doc))) return;
        beyond = [Y.encodeStateAsUpdate(room.doc, revised)];
      } else {
        beyond = (await this.store.loadUpdates(room.id)).map((row) => row.data);
      }
      const pending = this.pending.get(room.id);
      if (!pending || beyond.length === 0) return;
      pending.parts.unshift(...beyond.map((update) => ({ userId: null, update })));
    } catch (error) {
      this.logger.warn('reading the newest revision of an opened document failed', { documentId: room.id, error });
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index]);
}
