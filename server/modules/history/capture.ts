/**
 * Collects, per open document, what the next revision will hold: for each author, which Yjs
 * clients its connections on this instance wrote to and what they deleted (noted per transaction,
 * encoded from the live document when a revision takes it), and whole updates made outside any
 * connection. Changes made on other instances are taken by theirs. When a document opens,
 * whatever it holds beyond its newest revision (content from before history, or edits whose
 * revision a crash lost) is collected too, so every revision adds up to what clients saw.
 *
 * A diff compares two revisions, so text inserted and deleted between them cannot show. When
 * someone deletes what another person wrote since the last revision (Bob removing Ada's fresh
 * paragraph while her burst is open), a revision is cut just before that deletion: it holds her
 * text, and the deletion lands in the next revision, where it shows as Bob's.
 */
import * as Y from 'yjs';
import type { Logger } from '../../logger.ts';
import type { RevisionRecord, Store } from '../../storage/store.ts';
import type { Connection } from '../../sync/connection.ts';
import type { RoomObserver } from '../../sync/room-contract.ts';
import type { Room } from '../../sync/room.ts';
import { sameBytes } from '../../sync/update-bytes.ts';
import type { ChangePart } from './changes.ts';
import { AuthorChanges } from './live-change.ts';

/** Pending changes of one open document. */
interface Pending {
  room: Room;
  /** Whole updates: content from before the newest revision, a restore's change, a failed revision's. */
  parts: ChangePart[];
  /** What each account's connections changed, by user id, in the order they first did. */
  authors: Map<string, AuthorChanges>;
  /** The newest revision that took each account's changes, by user id (see `revisionHolding`). */
  holding: Map<string, Promise<RevisionRecord | null>>;
  /** Unsubscribes from the room's transactions. */
  stop: () => void;
}

/** Room observer that keeps what the next revision of each open document will hold. */
export class RevisionCapture implements RoomObserver {
  private readonly pending = new Map<string, Pending>();
  /**
   * Stores what is pending as a revision, now (set by the history service): called from inside
   * a transaction's end, before Yjs drops the content that transaction deleted.
   */
  cutRevision: ((documentId: string) => void) | null = null;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  onOpen(room: Room): void {
    this.pending.set(room.id, { room, parts: [], authors: new Map(), holding: new Map(), stop: () => {} });
    void this.catchUp(room);
  }

  /** Follows the document's changes from the moment it is built (nothing changes before). */
  onDocumentLoaded(room: Room, doc: Y.Doc): void {
    const pending = this.pending.get(room.id);
    if (!pending) return;
    const authors = pending.authors;
    // Every transaction a connection made, not only those that changed a visible type: a client's
    // structs must reach history without a gap, or none of its later ones could be applied.
    const onTransaction = (transaction: Y.Transaction) => {
      const origin = transaction.origin as Connection;
      const author = room.connections.has(origin) ? origin.user.id : null;
      if (transaction.deleteSet.clients.size > 0 && deletesPendingOfOthers(authors, transaction, author)) this.cutRevision?.(room.id);
      if (author === null) return; // a restore records its own change; other instances' are theirs
      let changes = authors.get(origin.user.id);
      if (!changes) authors.set(origin.user.id, (changes = new AuthorChanges()));
      changes.add(transaction);
    };
    doc.on('afterTransaction', onTransaction);
    pending.stop = () => doc.off('afterTransaction', onTransaction);
  }

  /** Changes not yet in a revision are encoded from the live document when the revision is cut. */
  holdsDocument(room: Room): boolean {
    const pending = this.pending.get(room.id);
    if (!pending) return false;
    for (const changes of pending.authors.values()) if (!changes.isEmpty) return true;
    return false;
  }

  onDocumentUnloaded(room: Room): void {
    const pending = this.pending.get(room.id);
    if (!pending) return;
    pending.stop();
    pending.stop = () => {};
  }

  onClose(room: Room): void {
    this.pending.get(room.id)?.stop();
    this.pending.delete(room.id);
  }

  /** Adds a change made outside any connection (a restore), to be taken with the rest. */
  add(documentId: string, part: ChangePart): void {
    this.pending.get(documentId)?.parts.push(part);
  }

  /** Whether an account changed the document since a revision last took its changes. */
  hasChangesBy(documentId: string, userId: string): boolean {
    return this.pending.get(documentId)?.authors.get(userId)?.isEmpty === false;
  }

  /** Notes the revision that took the changes of these accounts. */
  heldIn(documentId: string, userIds: Iterable<string>, revision: Promise<RevisionRecord | null>): void {
    const pending = this.pending.get(documentId);
    if (pending) for (const userId of userIds) pending.holding.set(userId, revision);
  }

  /** The newest revision that took an account's changes while the document has been open here. */
  revisionHolding(documentId: string, userId: string): Promise<RevisionRecord | null> | undefined {
    return this.pending.get(documentId)?.holding.get(userId);
  }

  /**
   * Takes the changes collected so far for a document's next revision (none if it is not open
   * here): the whole updates as they came, then one update per author read from the document
   * as it is now.
   */
  take(documentId: string): ChangePart[] {
    const pending = this.pending.get(documentId);
    if (!pending) return [];
    const parts = pending.parts;
    pending.parts = [];
    for (const [userId, changes] of pending.authors) {
      if (!changes.isEmpty) parts.push({ userId, update: changes.encode(pending.room.doc) });
    }
    pending.authors.clear();
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
      if (this.pending.get(room.id)?.room !== room) return;
      let beyond: Uint8Array[];
      if (revised) {
        if (sameBytes(revised, room.stateVector())) return;
        beyond = [room.encodeStateAsUpdate(revised)];
      } else if (room.liveDoc === null) {
        // Not edited yet: its state is still the stored bytes the room holds, shared rather than copied.
        beyond = [room.encodeStateAsUpdate()];
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

/** Whether a transaction deleted something another account wrote since the last revision. */
function deletesPendingOfOthers(authors: ReadonlyMap<string, AuthorChanges>, transaction: Y.Transaction, author: string | null): boolean {
  for (const [userId, changes] of authors) {
    if (userId === author) continue;
    for (const [client, start] of changes.starts) {
      if (transaction.deleteSet.clients.get(client)?.some((range) => range.clock + range.len > start)) return true;
    }
  }
  return false;
}
