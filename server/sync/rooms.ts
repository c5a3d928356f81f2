/**
 * The registry of open rooms: loads a document on its first connection, and releases it when
 * the last one leaves and its updates are durable (compacting the log on the way out).
 */
import { CloseCode } from '../../shared/close-codes.ts';
import type { DocumentRole, User } from '../../shared/dto.ts';
import type { Connection } from './connection.ts';
import { EMPTY_AWARENESS_MESSAGE } from './protocol.ts';
import type { RoomDeps } from './room-contract.ts';
import { Room } from './room.ts';

interface Entry {
  ready: Promise<Room>;
  room: Room | null;
  /** Connections joined or joining. */
  members: number;
  /** Set while the room is being released; joiners wait for it, then load afresh. */
  closing: Promise<void> | null;
}

/** Raised when a document already has as many connections as allowed. */
export class RoomFullError extends Error {}

/** Open rooms by document id. */
export class RoomRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Every connection joined or joining a room. */
  private readonly members = new Set<Connection>();
  private readonly keepAlive: ReturnType<typeof setInterval>;
  private readonly unloading: ReturnType<typeof setInterval>;

  constructor(
    private readonly deps: RoomDeps,
    private readonly maxConnectionsPerDocument: number,
    /** Send a keep-alive to connections that heard nothing for this long (stable clients give up after 30 s). */
    private readonly keepAliveAfterMs: number,
    /** An open document nobody changed for this long lets go of its Y.Doc (see `Room.unloadIfIdle`). */
    unloadAfterMs = 60_000,
  ) {
    this.keepAlive = setInterval(() => this.sendKeepAlives(), keepAliveAfterMs / 3);
    this.keepAlive.unref?.();
    this.unloading = setInterval(() => {
      for (const room of this.rooms()) room.unloadIfIdle(unloadAfterMs);
    }, Math.max(50, unloadAfterMs / 4));
    this.unloading.unref?.();
  }

  /** Number of rooms in memory. */
  get size(): number {
    return this.entries.size;
  }

  /** The open room of a document, if any (for rendering live content). */
  peek(documentId: string): Room | null {
    return this.entries.get(documentId)?.room ?? null;
  }

  /** Every open room. */
  rooms(): Room[] {
    return [...this.entries.values()].flatMap((entry) => (entry.room ? [entry.room] : []));
  }

  /** The entry of a document's room, loading the room if needed (after a release in progress). */
  private async entryOf(documentId: string): Promise<Entry> {
    let entry = this.entries.get(documentId);
    while (entry?.closing) {
      await entry.closing;
      entry = this.entries.get(documentId);
    }
    if (entry) return entry;
    const created: Entry = { ready: Room.load(documentId, this.deps), room: null, members: 0, closing: null };
    created.ready.then(
      (room) => (created.room = room),
      () => this.entries.delete(documentId),
    );
    this.entries.set(documentId, created);
    return created;
  }

  /** Adds a connection to its document's room, loading the room if needed. */
  async join(connection: Connection): Promise<void> {
    const documentId = connection.documentId;
    const entry = await this.entryOf(documentId);
    if (entry.members >= this.maxConnectionsPerDocument) throw new RoomFullError(documentId);
    entry.members++;
    this.members.add(connection);
    connection.onLeave = () => {
      this.members.delete(connection);
      this.leave(documentId);
    };
    let room: Room;
    try {
      room = await entry.ready;
    } catch (error) {
      connection.onLeave = null;
      this.members.delete(connection);
      entry.members--;
      throw error;
    }
    connection.attach(room);
  }

  /**
   * Holds a document's room open for work the server does itself (a restore), loading it if
   * needed, as a connection would; `release` lets it go (once every change is durable, it unloads
   * if nobody else is there).
   */
  async borrow(documentId: string): Promise<{ room: Room; release(): void }> {
    const entry = await this.entryOf(documentId);
    entry.members++;
    let room: Room;
    try {
      room = await entry.ready;
    } catch (error) {
      entry.members--;
      throw error;
    }
    let released = false;
    return {
      room,
      release: () => {
        if (released) return;
        released = true;
        this.leave(documentId);
      },
    };
  }

  private leave(documentId: string): void {
    const entry = this.entries.get(documentId);
    if (!entry) return;
    entry.members--;
    if (entry.members > 0 || entry.closing) return;
    entry.closing = entry.ready
      .then((room) => this.release(room))
      .finally(() => {
        if (this.entries.get(documentId) === entry) this.entries.delete(documentId);
      });
  }

  private async release(room: Room): Promise<void> {
    await room.committed();
    await room.compact();
    room.destroy();
  }

  /** Closes a deleted document's connections with 4404 and forgets its unsaved state. */
  closeDocument(documentId: string): void {
    this.peek(documentId)?.closeDeleted();
  }

  /** Closes every connection, joined or still joining, that `predicate` picks (a session ended: 4401). */
  closeConnectionsWhere(predicate: (connection: Connection) => boolean, code: number, reason?: string): number {
    const doomed = [...this.members].filter(predicate);
    for (const connection of doomed) connection.close(code, reason);
    return doomed.length;
  }

  /**
   * Access changed: every connection, joined or still joining, that `roleOf` picks out gets its
   * new role at once, and one it gives none is closed with 4403 (it lost read access).
   */
  applyAccess(predicate: (connection: Connection) => boolean, roleOf: (connection: Connection) => DocumentRole | null): void {
    for (const connection of [...this.members]) {
      if (!predicate(connection)) continue;
      const role = roleOf(connection);
      if (role === null) connection.close(CloseCode.forbidden, 'access revoked');
      else connection.setRole(role);
    }
  }

  /** The connections, joined or joining, that `predicate` picks. */
  connectionsWhere(predicate: (connection: Connection) => boolean): Connection[] {
    return [...this.members].filter(predicate);
  }

  /** An account's name or colour changed: its connections show the new ones from their next announcement. */
  updateUser(user: Pick<User, 'id' | 'name' | 'color'>): void {
    for (const connection of this.members) {
      if (connection.user.id === user.id) connection.user = { ...connection.user, name: user.name, color: user.color };
    }
  }

  /** Closes every connection (going away) and waits until every room is released. */
  async shutdown(): Promise<void> {
    clearInterval(this.keepAlive);
    clearInterval(this.unloading);
    for (const room of this.rooms()) room.closeAll(CloseCode.goingAway, 'server going away');
    await Promise.all([...this.entries.values()].map((entry) => entry.closing ?? entry.ready.then(() => undefined)));
  }

  private sendKeepAlives(): void {
    const quietSince = performance.now() - this.keepAliveAfterMs;
    for (const room of this.rooms()) {
      for (const connection of room.connections) {
        // In case a drain event was missed, a client that fell behind is checked here too.
        connection.drained();
        if (Math.max(connection.lastSentAt, room.lastBroadcastAt) < quietSince) connection.send(EMPTY_AWARENESS_MESSAGE);
      }
    }
  }
}
