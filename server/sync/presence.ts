/**
 * A room's awareness (who is here, where their cursors are) and who owns each entry: the
 * connection here that announced a client id, or a user on another instance.
 *
 * Stock clients relay every awareness change they hear, including the removal of a peer they
 * timed out after 30 s of its silence and stale states after a reconnect. So an entry its sender
 * may not change is dropped, never answered with a close (4400-4499 are final for stock clients,
 * and the relaying peer did nothing wrong). For an entry that would change the state (a newer
 * clock, or a removal at the same clock):
 * - only its owner removes a state: the server removes it when the owner leaves, and peers (this
 *   room's own Awareness too) time a silent owner out by themselves;
 * - a connection announces one client id, its own (a stock provider has exactly one);
 * - another connection or instance of the same user may take an id over: a reconnect whose old
 *   socket is not closed yet, a hop to another instance;
 * - nobody sets another user's presence.
 * And presence cannot lie: the `user` of each state a connection announces is replaced by its
 * account's `{id, name, color}` before the state is stored or relayed (see `stampUser`).
 *
 * Awareness cannot be used to make the server hold or send much: entries a connection may not
 * change are dropped from their header alone (their states are never decoded), a state larger
 * than `MAX_AWARENESS_BYTES` (UTF-8 bytes) closes its sender with 4413, and a change that would
 * pass the document's total (`MAX_DOCUMENT_AWARENESS_BYTES`, which bounds what a joiner is sent)
 * or its connection's byte rate (`AWARENESS_BYTES_PER_SECOND`) is dropped.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import type { Connection } from './connection.ts';
import { decodeAwarenessState, encodeAwarenessEntries, type AwarenessEntry, type RawAwarenessEntry } from './protocol.ts';

/** What deciding whether an entry may change the state needs: never its state. */
type EntryHeader = Pick<AwarenessEntry, 'clientId' | 'clock' | 'removes'>;

/** Takes `bytes` from a connection's awareness budget; false when it has not that many left. */
export type SpendAwarenessBytes = (bytes: number) => boolean;

/** A client id announced through another instance, by one of its user's connections there. */
class RemoteOwner {
  constructor(readonly userId: string) {}
}

type Owner = Connection | RemoteOwner;

/** Origin of awareness changes that another instance relayed. */
const ANOTHER_INSTANCE = Symbol('another instance');

/** Raised when a connection announces a state larger than it may. */
export class AwarenessStateTooLargeError extends Error {}

/** One connection's awareness states, encoded, with the user they belong to (for other instances). */
export interface OwnedAwareness {
  userId: string;
  update: Uint8Array;
}

function userOf(owner: Owner): string {
  return owner instanceof RemoteOwner ? owner.userId : owner.user.id;
}

/**
 * The entry with its state's `user` set to the connection's account, whatever the client put
 * there (or left out). A removal, or a state that is not a JSON object, stays as it is: there
 * is no user in it to show.
 */
export function stampUser(entry: AwarenessEntry, connection: Connection): AwarenessEntry {
  if (entry.removes) return entry;
  let state: unknown;
  try {
    state = JSON.parse(entry.json);
  } catch {
    return entry;
  }
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return entry;
  const { id, name, color } = connection.user;
  const claimed = (state as { user?: unknown }).user;
  if (typeof claimed === 'object' && claimed !== null) {
    // The Quire client announces exactly its account: the bytes it sent can go out as they are.
    const { id: claimedId, name: claimedName, color: claimedColor, ...more } = claimed as Record<string, unknown>;
    if (claimedId === id && claimedName === name && claimedColor === color && Object.keys(more).length === 0) return entry;
  }
  return { ...entry, json: JSON.stringify({ ...state, user: { id, name, color } }) };
}

/** A room's awareness and the owner of each of its entries. */
/**
 * What y-protocols' Awareness reads of the Y.Doc it is given: the client id it keys its own
 * (here always empty) state by, and a 'destroy' event it never gets (Presence destroys the
 * Awareness itself). A whole Y.Doc for that would cost each open document about 2 KiB, and the
 * document's own Y.Doc is built only when it is edited (see Room).
 */
function awarenessOwner(): Y.Doc {
  const [clientID] = crypto.getRandomValues(new Uint32Array(1));
  const owner: Pick<Y.Doc, 'clientID' | 'on'> = { clientID: clientID!, on: (_name, listener) => listener };
  return owner as Y.Doc;
}

export class Presence {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly owners = new Map<number, Owner>();
  /** The one client id each connection here announced. */
  private readonly announced = new Map<Connection, number>();
  /** UTF-8 bytes of each state held, and their sum: what a joiner would be sent. */
  private readonly stateBytes = new Map<number, number>();
  private heldBytes = 0;

  constructor(
    private readonly documentId: string,
    private readonly logger: Logger,
    /** Most bytes of states the document holds in all (`MAX_DOCUMENT_AWARENESS_BYTES`). */
    private readonly maxDocumentBytes = Infinity,
  ) {
    this.awareness = new awarenessProtocol.Awareness(awarenessOwner());
    // The server is no participant: it announces no state of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onTimeout);
    this.awareness.on('update', this.onRemoved);
  }

  /** Bytes of the states held (a joiner's greeting is this, plus a few bytes per state). */
  get bytes(): number {
    return this.heldBytes;
  }

  /**
   * Applies the entries of a connection's awareness update that it may change and that fit the
   * document's and the connection's budgets (`spend`); drops the rest. Only kept entries' states
   * are decoded. Returns whether anything changed. Throws `AwarenessStateTooLargeError` when a
   * state it may set is larger than `maxStateBytes` (UTF-8 bytes), `ProtocolError` when such a
   * state is not JSON.
   */
  applyFromConnection(
    connection: Connection,
    update: Uint8Array,
    entries: readonly RawAwarenessEntry[],
    maxStateBytes: number,
    spend: SpendAwarenessBytes = () => true,
  ): boolean {
    const kept = entries.filter((entry) => this.mayChange(connection, entry));
    if (kept.length === 0) return false;
    const tooLarge = kept.find((entry) => entry.state.byteLength > maxStateBytes);
    if (tooLarge) throw new AwarenessStateTooLargeError(`awareness state larger than ${maxStateBytes} bytes (MAX_AWARENESS_BYTES)`);
    const decoded = kept.map(decodeAwarenessState);
    const admitted = decoded
      .map((entry) => stampUser(entry, connection))
      .filter((entry) => this.admit(connection, entry, spend));
    if (admitted.length === 0) return false;
    const unchanged = admitted.length === entries.length && admitted.every((entry, index) => entry === decoded[index]);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, unchanged ? update : encodeAwarenessEntries(admitted), connection);
    for (const entry of admitted) this.record(entry);
    return true;
  }

  /** Applies awareness another instance relayed from a connection of user `userId` there. */
  applyRemote(entries: readonly AwarenessEntry[], userId: string): void {
    const kept = entries.filter((entry) => this.mayChangeFromRemote(entry, userId) && this.admit(null, entry, () => true));
    if (kept.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(kept), ANOTHER_INSTANCE);
    for (const entry of kept) this.record(entry);
  }

  /** A connection left: its state is removed (and the removal broadcast, with it as the origin). */
  removeConnection(connection: Connection): void {
    const clientId = this.announced.get(connection);
    if (clientId === undefined) return;
    this.announced.delete(connection);
    this.owners.delete(clientId);
    awarenessProtocol.removeAwarenessStates(this.awareness, [clientId], connection);
  }

  /** Every state announced by a connection here, one update per connection (for other instances). */
  encodeLocal(): OwnedAwareness[] {
    const owned: OwnedAwareness[] = [];
    for (const [connection, clientId] of this.announced) {
      if (this.awareness.states.has(clientId)) {
        owned.push({ userId: connection.user.id, update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, [clientId]) });
      }
    }
    return owned;
  }

  /** Every known state, as one awareness update. */
  encodeAll(): Uint8Array {
    return awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]);
  }

  destroy(): void {
    this.awareness.off('update', this.onTimeout);
    this.awareness.off('update', this.onRemoved);
    this.awareness.destroy();
  }

  /** Whether a state fits the document's total and its connection's byte rate; removals always do. */
  private admit(connection: Connection | null, entry: AwarenessEntry, spend: SpendAwarenessBytes): boolean {
    if (entry.removes) return true;
    const bytes = Buffer.byteLength(entry.json, 'utf8');
    const others = this.heldBytes - (this.stateBytes.get(entry.clientId) ?? 0);
    if (others + bytes > this.maxDocumentBytes) return this.drop(connection, entry, 'the document holds all the awareness it may (MAX_DOCUMENT_AWARENESS_BYTES)');
    if (!spend(bytes)) return this.drop(connection, entry, 'awareness changes past AWARENESS_BYTES_PER_SECOND');
    return true;
  }

  /** Counts an applied state's bytes (removals are counted out by `onRemoved`). */
  private record(entry: AwarenessEntry): void {
    if (entry.removes) return;
    const bytes = Buffer.byteLength(entry.json, 'utf8');
    this.heldBytes += bytes - (this.stateBytes.get(entry.clientId) ?? 0);
    this.stateBytes.set(entry.clientId, bytes);
  }

  /** Whether y-protocols would apply the entry: a newer clock, or a removal at the same clock of a state still held. */
  private changes(entry: EntryHeader): boolean {
    const clock = this.awareness.meta.get(entry.clientId)?.clock ?? 0;
    return entry.clock > clock || (entry.clock === clock && entry.removes && this.awareness.states.has(entry.clientId));
  }

  private mayChange(connection: Connection, entry: EntryHeader): boolean {
    const owner = this.owners.get(entry.clientId);
    const mine = owner === undefined || (owner !== connection && userOf(owner) === connection.user.id);
    if (mine && !entry.removes && !this.announced.has(connection)) {
      // A connection's first announcement is its own id, even when y-protocols applies nothing:
      // a stock client that never changed its state announces clock 0, and one that reconnects
      // repeats its last clock. Claiming it at once keeps the state shown when the old socket
      // (here or on another instance) closes, and keeps stale relays of it from others out.
      this.claim(connection, entry.clientId, owner);
      return this.changes(entry);
    }
    // Most relays repeat what the server already holds: nothing to decide.
    if (!this.changes(entry)) return false;
    if (owner === connection) return true;
    if (entry.removes) return this.drop(connection, entry, 'only its owner removes a state');
    if (this.announced.has(connection)) return this.drop(connection, entry, 'a connection announces one client id');
    if (owner !== undefined && userOf(owner) !== connection.user.id) return this.drop(connection, entry, "another user's client id");
    this.claim(connection, entry.clientId, owner);
    return true;
  }

  private claim(connection: Connection, clientId: number, previous: Owner | undefined): void {
    if (previous !== undefined && !(previous instanceof RemoteOwner)) this.announced.delete(previous);
    this.owners.set(clientId, connection);
    this.announced.set(connection, clientId);
  }

  private mayChangeFromRemote(entry: AwarenessEntry, userId: string): boolean {
    if (!this.changes(entry)) return false;
    const owner = this.owners.get(entry.clientId);
    if (owner !== undefined && userOf(owner) !== userId) return false;
    if (entry.removes) {
      // The user's connection there left; if one of theirs here holds the id now, it stays.
      if (owner !== undefined && !(owner instanceof RemoteOwner)) return false;
      this.owners.delete(entry.clientId);
      return true;
    }
    // The same user announces it there now (it moved): a connection here no longer holds it.
    if (owner !== undefined && !(owner instanceof RemoteOwner)) this.announced.delete(owner);
    this.owners.set(entry.clientId, new RemoteOwner(userId));
    return true;
  }

  private drop(connection: Connection | null, entry: EntryHeader, reason: string): false {
    this.logger.debug('dropped an awareness entry', { documentId: this.documentId, userId: connection?.user.id, clientId: entry.clientId, reason });
    return false;
  }

  /** A state removed, however (its owner left, a removal, a timeout): its bytes are free again. */
  private readonly onRemoved = (change: { removed: number[] }): void => {
    for (const clientId of change.removed) {
      this.heldBytes -= this.stateBytes.get(clientId) ?? 0;
      this.stateBytes.delete(clientId);
    }
  };

  /** An instance that went away never says goodbye: once its states time out here, they are free. */
  private readonly onTimeout = (change: { removed: number[] }, origin: unknown): void => {
    if (origin !== 'timeout') return;
    for (const clientId of change.removed) {
      if (this.owners.get(clientId) instanceof RemoteOwner) this.owners.delete(clientId);
    }
  };
}
