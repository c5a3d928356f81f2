/**
 * One open document: its state, awareness and connections. Applies what peers send, commits
 * every change through the `UpdateWriter` before broadcasting it, and answers sync requests
 * only with state that is already durable. Its Y.Doc is built only while the document is being
 * changed or read live (see `RoomDocument`).
 */
import { encodeAwarenessUpdate, type Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/close-codes.ts';
import type { Connection } from './connection.ts';
import { CommitTracker } from './commit-tracker.ts';
import { DocumentSize } from './document-size.ts';
import { DocumentStructure } from './document-structure.ts';
import { Fanout } from './fanout.ts';
import { Presence, type OwnedAwareness } from './presence.ts';
import {
  decodeAwarenessEntries,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  type RawAwarenessEntry,
} from './protocol.ts';
import type { SpendAwarenessBytes } from './presence.ts';
import type { RoomDeps } from './room-contract.ts';
import { RoomDocument } from './room-document.ts';
import { MAX_MERGED_BYTES, MAX_MERGED_UPDATES, mergeTurn } from './turn-merge.ts';
import { concatUpdates } from './update-concat.ts';
import { mayCreateTypes } from './update-reader.ts';
import type { UpdateWriter } from './update-writer.ts';

/** Origin of changes that another instance made and already stored. */
export const REMOTE_ORIGIN = Symbol('remote instance');

/** An open document shared by its connections. */
export class Room {
  /** Set once loaded: the document, as bytes or as a Y.Doc. */
  private document!: RoomDocument;
  readonly presence: Presence;
  readonly connections = new Set<Connection>();
  /** Stored rows already contained in the document: compaction replaces exactly these. */
  private storedIds: number[] = [];
  private readonly size: DocumentSize;
  private readonly structure: DocumentStructure;
  /** What of this room is durable: answers `whenCommitted` and save marks. */
  readonly commits = new CommitTracker();
  /** Awareness changes broadcast so far (each earns the other connections one relay, see `RelayCredit`). */
  awarenessBroadcasts = 0;
  private compacting = false;
  /** `performance.now()` of the last change to the document. */
  private lastChangeAt = performance.now();
  /** This turn's updates from one sender, not yet taken by the writer: one stored row and one broadcast. */
  private growing: PendingBatch | null = null;
  /** Set once loaded: delivers broadcasts and catches slow readers up. */
  private fanout!: Fanout;
  deleted = false;

  private constructor(
    readonly id: string,
    private readonly deps: RoomDeps,
  ) {
    this.presence = new Presence(id, deps.logger, deps.maxDocumentAwarenessBytes);
    this.size = new DocumentSize(deps.maxDocumentBytes);
    this.structure = new DocumentStructure(deps.structure);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Who is here: the awareness states of every connection, here and on other instances. */
  get awareness(): Awareness {
    return this.presence.awareness;
  }

  /** Loads a document's stored updates into a new room. */
  static async load(id: string, deps: RoomDeps): Promise<Room> {
    const room = new Room(id, deps);
    const rows = await deps.store.loadUpdates(id);
    for (const row of rows) {
      room.storedIds.push(row.id);
      room.size.add(row.data.byteLength);
    }
    room.document = new RoomDocument(
      rows.map((row) => row.data),
      { loaded: (doc) => room.documentLoaded(doc), unloading: (doc) => room.documentUnloading(doc) },
    );
    room.fanout = new Fanout(`doc:${id}`, room.connections, deps.publishAll, deps.maxBufferedBytes / 2, Y.decodeStateVector(room.stateVector()));
    for (const observer of deps.observers) observer.onOpen?.(room);
    return room;
  }

  /** The live document, built from the stored state on first use. */
  get doc(): Y.Doc {
    return this.document.doc;
  }

  /** The live document if it was built, else null (readers that can do with the stored state). */
  get liveDoc(): Y.Doc | null {
    return this.document.liveDoc;
  }

  private documentLoaded(doc: Y.Doc): void {
    this.structure.measure(doc);
    doc.on('afterTransaction', this.onAfterTransaction);
    doc.on('update', this.onDocumentUpdate);
    for (const observer of this.deps.observers) observer.onDocumentLoaded?.(this, doc);
  }

  private documentUnloading(doc: Y.Doc): void {
    doc.off('afterTransaction', this.onAfterTransaction);
    doc.off('update', this.onDocumentUpdate);
    for (const observer of this.deps.observers) observer.onDocumentUnloaded?.(this, doc);
  }

  /**
   * Lets go of the Y.Doc of a document nobody changed for `idleMs`, keeping its state as bytes
   * as when the room opened: a document that people only read after an edit costs about its
   * stored size again. Not while a change is on its way to storage, nor while an observer still
   * reads the live document (an open activity burst, changes not yet in a revision). Returns
   * whether it did.
   */
  unloadIfIdle(idleMs: number, now = performance.now()): boolean {
    if (!this.liveDoc || this.deleted || now - this.lastChangeAt < idleMs) return false;
    if (!this.commits.settled || this.growing || this.compacting) return false;
    if (this.deps.observers.some((observer) => observer.holdsDocument?.(this))) return false;
    this.document.unload();
    return true;
  }

  /** The document's state vector, encoded. */
  stateVector(): Uint8Array {
    return this.document.stateVector();
  }

  /** What a peer at `stateVector` lacks, as one update (everything when none is given). */
  encodeStateAsUpdate(stateVector?: Uint8Array): Uint8Array {
    return this.document.encodeStateAsUpdate(stateVector);
  }

  /** Sends the opening handshake: our state vector, then everyone's awareness. */
  greet(connection: Connection): void {
    this.fanout.join(connection);
    connection.send(encodeSyncStep1(this.stateVector()));
    if (this.awareness.getStates().size > 0) this.sendAwarenessStates(connection);
  }

  /** Answers sync step 1 with step 2, holding it until every change it contains is durable. */
  answerSyncStep1(connection: Connection, stateVector: Uint8Array): void {
    // Decoded now, so a malformed one closes its connection here rather than failing later
    // inside a commit callback.
    Y.decodeStateVector(stateVector);
    this.whenCommitted(() => {
      if (!connection.isOpen) return;
      connection.send(encodeSyncStep2(this.encodeStateAsUpdate(stateVector)));
    });
  }

  /**
   * Applies a peer's updates (a step 2, or the incremental updates it sent in one turn) as one
   * Yjs transaction: one commit row and one broadcast for the lot, without the cost of merging
   * their bytes first. Each update is checked before it is applied and throws when malformed or
   * oversized, or when it would nest too deep or hold too many nodes (`DocumentStructureError`);
   * the updates before it stay applied, as they would have been sent one per turn.
   * Parts that reference structs this document lacks are dropped rather than kept pending: Yjs
   * would hold them in memory for ever, send them to every joiner and write them into the next
   * snapshot, outside the size limit. Returns true when something was dropped, so the caller
   * can ask the sender for what is missing (a stock client's edit can legitimately race ahead of
   * the step 2 that carries its dependencies right after a reconnect).
   * Updates that add nothing to a document not yet built (a reconnecting reader's step 2) are
   * passed over without building it.
   */
  applyUpdates(connection: Connection, updates: readonly Uint8Array[]): boolean {
    if (!this.liveDoc) {
      updates = updates.filter((update) => !this.document.holds(update));
      if (updates.length === 0) return false;
    }
    const store = this.doc.store;
    // Pending state from another instance (cluster, out of order) is legitimate: leave it be.
    const hadPending = store.pendingStructs !== null || store.pendingDs !== null;
    let dropped = false;
    try {
      Y.transact(this.doc, () => {
        // What the earlier updates of this transaction added, not yet in the running counts.
        let bytesBefore = 0;
        let nodesBefore = 0;
        // Updates that need no look at the document to be checked (typing, formatting,
        // deleting, well within the size limit) wait here to be applied together.
        const plain: Uint8Array[] = [];
        for (const update of updates) {
          if (this.size.fitsUnchecked(update, bytesBefore) && !mayCreateTypes(update)) {
            plain.push(update);
          } else {
            this.applyTogether(plain, connection);
            this.size.check(this.doc, update, bytesBefore);
            nodesBefore += this.structure.check(this.doc, update, nodesBefore);
            Y.applyUpdate(this.doc, update, connection);
          }
          bytesBefore += update.byteLength;
        }
        this.applyTogether(plain, connection);
      }, connection);
    } finally {
      if (!hadPending && (store.pendingStructs !== null || store.pendingDs !== null)) {
        store.pendingStructs = null;
        store.pendingDs = null;
        dropped = true;
      }
    }
    return dropped;
  }

  /**
   * Applies checked updates as one when their bytes join (see `concatUpdates`): one decode and
   * one integration instead of one per update. Else, or when Yjs refuses the joined bytes
   * (which it decodes whole before integrating any of it), one by one, as they came. Empties `updates`.
   */
  private applyTogether(updates: Uint8Array[], connection: Connection): void {
    if (updates.length === 0) return;
    const joined = updates.length > 1 ? concatUpdates(updates) : null;
    const separately = updates.splice(0);
    if (joined) {
      try {
        Y.applyUpdate(this.doc, joined, connection);
        return;
      } catch {
        // One of them is malformed in a way only Yjs sees: applied singly, it alone fails.
      }
    }
    for (const update of separately) Y.applyUpdate(this.doc, update, connection);
  }

  /** Runs `task` at the end of this turn, before the turn's commit (see `UpdateWriter.atTurnEnd`). */
  atTurnEnd(task: () => void): void {
    this.deps.writer.atTurnEnd(task);
  }

  /** Asks one connection for everything this document lacks (it answers with sync step 2). */
  requestMissing(connection: Connection): void {
    connection.send(encodeSyncStep1(this.stateVector()));
  }

  /**
   * Applies a peer's awareness update, its entries' headers read by the connection: the entries
   * it may change and that fit the budgets are applied and broadcast, the rest (relays of others'
   * states, changes past a budget) dropped. See `Presence`. Returns whether anything changed.
   */
  applyAwareness(
    connection: Connection,
    update: Uint8Array,
    entries: readonly RawAwarenessEntry[],
    maxStateBytes: number,
    spend?: SpendAwarenessBytes,
  ): boolean {
    return this.presence.applyFromConnection(connection, update, entries, maxStateBytes, spend);
  }

  /** Applies a change another instance already stored: broadcast at once, never stored again. */
  applyRemoteUpdate(update: Uint8Array): void {
    if (this.document.holds(update)) return;
    Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
  }

  /**
   * Applies awareness that another instance relayed from a connection of user `userId` there.
   * Throws `ProtocolError` when it is malformed.
   */
  applyRemoteAwareness(update: Uint8Array, userId: string): void {
    this.presence.applyRemote(decodeAwarenessEntries(update), userId);
  }

  /** The awareness states of this instance's own connections, per connection (for a joining instance). */
  encodeLocalAwareness(): OwnedAwareness[] {
    return this.presence.encodeLocal();
  }

  /** Sends every known awareness state to one connection (query-awareness). */
  sendAwarenessStates(connection: Connection): void {
    connection.send(encodeAwareness(this.presence.encodeAll()));
  }

  /** Forgets a leaving connection: its marks, and its awareness state, telling the others. */
  removeConnection(connection: Connection): void {
    this.connections.delete(connection);
    this.commits.forget(connection);
    this.fanout.leave(connection);
    this.presence.removeConnection(connection);
  }

  /** Closes every connection with `code` (document deleted, server shutting down). */
  closeAll(code: number, reason: string): void {
    for (const connection of [...this.connections]) connection.close(code, reason);
  }

  /** The document was deleted: its unsaved state is forgotten and its connections closed with 4404. */
  closeDeleted(): void {
    this.deleted = true;
    this.closeAll(CloseCode.notFound, 'document deleted');
  }

  /** Runs `callback` once every change made so far is durable. */
  whenCommitted(callback: () => void): void {
    this.commits.whenCommitted(callback);
  }

  /** Resolves once every change made so far is durable. */
  committed(): Promise<void> {
    return new Promise((resolve) => this.whenCommitted(resolve));
  }

  /** Whether the stored log holds updates that a snapshot would merge. */
  get needsCompaction(): boolean {
    return !this.deleted && this.storedIds.length > 1;
  }

  /** Replaces the stored log with one snapshot of the document. */
  async compact(): Promise<void> {
    if (this.compacting || !this.needsCompaction) return;
    this.compacting = true;
    try {
      await this.committed();
      const replaced = this.storedIds;
      const snapshot = this.encodeStateAsUpdate();
      this.storedIds = [];
      const snapshotId = await this.deps.store.replaceUpdates(this.id, replaced, snapshot);
      if (snapshotId === null) return;
      // Rows committed while the snapshot was being written stay in the log after it.
      this.storedIds = [snapshotId, ...this.storedIds];
      this.size.reset(snapshot.byteLength + this.storedIds.length);
      this.deps.logger.debug('compacted document', { documentId: this.id, rows: replaced.length, bytes: snapshot.byteLength });
    } catch (error) {
      this.deps.logger.error('compacting document failed; its log stays as it was', { documentId: this.id, error });
    } finally {
      this.compacting = false;
    }
  }

  /** Releases memory: stops awareness timers and the document. */
  destroy(): void {
    for (const observer of this.deps.observers) observer.onClose?.(this);
    this.fanout.close();
    this.awareness.off('update', this.onAwarenessUpdate);
    this.presence.destroy();
    this.document.destroy();
  }

  private readonly onAfterTransaction = (transaction: Y.Transaction): void => {
    this.structure.observe(transaction);
    const origin = transaction.origin;
    if (!isConnection(origin) || transaction.changed.size === 0) return;
    for (const observer of this.deps.observers) {
      // An observer's bug must not fail the sender's update (it would be closed with a final 4400).
      try {
        observer.onTransaction?.(this, transaction, origin);
      } catch (error) {
        this.deps.logger.error('an observer failed on a transaction', { documentId: this.id, error });
      }
    }
  };

  private readonly onDocumentUpdate = (update: Uint8Array, origin: unknown): void => {
    this.lastChangeAt = performance.now();
    if (origin === REMOTE_ORIGIN) {
      this.size.add(update.byteLength);
      this.fanout.update(update, null);
      return;
    }
    const sender = isConnection(origin) ? origin : null;
    this.commits.enqueue();
    this.size.add(update.byteLength);
    // A client that sends faster than one commit per turn (a paste replayed, a reconnect's
    // backlog, a fast typist) has its updates of the turn merged: one row, one frame to each peer.
    const growing = this.growing;
    if (growing?.sender === sender && growing.updates.length < MAX_MERGED_UPDATES && growing.bytes + update.byteLength <= MAX_MERGED_BYTES) {
      growing.updates.push(update);
      growing.bytes += update.byteLength;
      return;
    }
    const batch: PendingBatch = { sender, updates: [update], bytes: update.byteLength };
    this.growing = batch;
    const take = () => {
      if (this.growing === batch) this.growing = null;
      return mergeTurn(batch.updates);
    };
    this.deps.writer.enqueue(this.id, take, sender?.user ?? null, (storedId, stored) => {
      // The document was deleted meanwhile (perhaps through another instance): nothing was
      // stored, so nothing is broadcast or acknowledged; its connections close as on deletion.
      if (storedId === 0) this.closeDeleted();
      else this.storedIds.push(storedId);
      this.commits.committed(batch.updates.length);
      if (!this.deleted) this.published(stored, sender);
      this.commits.runIfSettled();
      if (this.storedIds.length >= this.deps.compactAfterUpdates) void this.compact();
    });
  };

  /** A durable update goes out: to this room's other connections, and to the observers (other instances). */
  private published(update: Uint8Array, sender: Connection | null): void {
    this.fanout.update(update, sender);
    for (const observer of this.deps.observers) {
      try {
        observer.onCommitted?.(this, update, sender);
      } catch (error) {
        this.deps.logger.error('an observer failed on a committed update', { documentId: this.id, error });
      }
    }
  }

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...change.added, ...change.updated, ...change.removed];
    const update = encodeAwarenessUpdate(this.awareness, changed);
    this.awarenessBroadcasts++;
    if (isConnection(origin)) {
      origin.awarenessBroadcasts++;
      for (const observer of this.deps.observers) observer.onLocalAwareness?.(this, update, origin);
    }
    // Echoed to the sender too, as the reference server does: a client alone in a document
    // then still hears from the server within its 30-second liveness window.
    this.fanout.awareness(encodeAwareness(update));
  };

  /** Sends a connection that fell behind everything it missed, once it is all durable. */
  catchUp(connection: Connection): void {
    if (!this.fanout.startCatchUp(connection)) return;
    // Broadcasts keep skipping it until then: the catch-up, computed last, contains them.
    this.whenCommitted(() =>
      this.fanout.catchUp(connection, (stateVector) => this.encodeStateAsUpdate(stateVector), () => encodeAwareness(this.presence.encodeAll())),
    );
  }

  /** Whether a connection is reading too slowly to be sent each update (it will be caught up). */
  isBehind(connection: Connection): boolean {
    return this.fanout.isBehind(connection);
  }

  /** When this room last broadcast anything (keep-alives skip connections that heard it). */
  get lastBroadcastAt(): number {
    return this.fanout.lastBroadcastAt;
  }
}

/** Updates of one sender in one turn, merged when the writer takes them. */
interface PendingBatch {
  sender: Connection | null;
  updates: Uint8Array[];
  bytes: number;
}

function isConnection(value: unknown): value is Connection {
  return typeof value === 'object' && value !== null && 'saveMarks' in value;
}

