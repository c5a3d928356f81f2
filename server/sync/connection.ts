/**
 * One client's sync connection: decodes its frames, enforces its limits, and hands each
 * message to its room. A bad frame closes this connection alone with a documented code.
 */
import { CLOSE_REASONS, CloseCode } from '../../shared/close-codes.ts';
import { MessageType, READ_ONLY_REASON, SyncMessageType } from '../../shared/protocol.ts';
import type { DocumentRole, User } from '../../shared/dto.ts';
import { can, type AccessSubject } from '../policy/document-access.ts';
import type { Logger } from '../logger.ts';
import { AwarenessStateTooLargeError } from './presence.ts';
import { ProtocolError, decodeAwarenessHeaders, decodeMessage, encodePermissionDenied, encodeRoleMessage, type IncomingMessage } from './protocol.ts';
import { RelayCredit, TokenBucket, type KeyedRateLimiter } from './rate-limit.ts';
import { DocumentTooLargeError } from './document-size.ts';
import { DocumentStructureError } from './document-structure.ts';
import type { Room } from './room.ts';
import { SaveMarks, TooManySaveMarksError } from './save-marks.ts';
import type { SyncSocket } from './socket.ts';
import { MAX_MERGED_BYTES, MAX_MERGED_UPDATES } from './turn-merge.ts';

/** Limits that apply to one connection. */
export interface ConnectionLimits {
  maxMessageBytes: number;
  /**
   * Largest sync step 2. A step 2 carries everything the server lacks (a long offline session,
   * a server restored from an older backup), bounded by the document limit rather than the
   * message limit: refusing it would be final, and the client would resend it on every reconnect.
   */
  maxStep2Bytes: number;
  messagesPerSecond: number;
  maxBufferedBytes: number;
  /** Largest awareness state (JSON text) one client may announce. */
  maxAwarenessBytes: number;
  /** Messages per account, shared by all of its connections on this instance (keyed by user id). */
  userMessages?: KeyedRateLimiter;
  /** Bytes of awareness state changes applied per second (bursts of twice the rate, at least two states). */
  awarenessBytesPerSecond?: number;
  /** Told when a connection is closed for sending too many messages, by the limit it passed (for metrics). */
  onRateLimited?(reason: MessageRateLimit): void;
}

/** The message-rate limit a connection passed: its own (`MESSAGES_PER_SECOND`) or its account's (`MESSAGES_PER_SECOND_PER_USER`). */
export type MessageRateLimit = 'messages_per_second' | 'messages_per_second_per_user';

/** What a connection may do, and who it is to the access policy. */
export interface ConnectionAccess {
  role: DocumentRole;
  /** Re-asked whenever the document's access changes. */
  subject: AccessSubject;
  /** The client asked for role messages (`roles=1`): Quire's own client. */
  roleUpdates: boolean;
}

/** A client connection to one document. */
export class Connection {
  /** Save marks waiting for their acknowledgement. */
  readonly saveMarks = new SaveMarks();
  private room: Room | null = null;
  /** Incremental updates received this turn, not yet applied (see `queueUpdate`). */
  private queuedUpdates: Uint8Array[] = [];
  private queuedUpdateBytes = 0;
  /** Frames that arrived before the room finished loading. */
  private early: Uint8Array[] = [];
  private earlyBytes = 0;
  private readonly messages: TokenBucket;
  private readonly awarenessBytes: TokenBucket | null;
  private relayCredit: RelayCredit | null = null;
  /** Awareness changes of this connection that its room broadcast (they earn it no relay credit). */
  awarenessBroadcasts = 0;
  private open = true;
  /** `performance.now()` of the last frame sent, for keep-alives. */
  lastSentAt = performance.now();
  /** Called once when the connection leaves its room (set by the room registry). */
  onLeave: ((connection: Connection) => void) | null = null;

  constructor(
    private readonly socket: SyncSocket,
    /** The account, as of its last profile change (`RoomRegistry.updateUser`). */
    public user: User,
    /** The session it was opened with: signing out closes it. */
    readonly sessionId: string,
    readonly documentId: string,
    private readonly limits: ConnectionLimits,
    private readonly logger: Logger,
    /** Its role now (changed live by `setRole`), and who it is to the policy. */
    readonly access: ConnectionAccess,
  ) {
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messagesPerSecond * 2);
    const awarenessRate = limits.awarenessBytesPerSecond;
    this.awarenessBytes = awarenessRate ? new TokenBucket(awarenessRate, Math.max(2 * awarenessRate, 2 * limits.maxAwarenessBytes)) : null;
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Joins the loaded room: greets the client, then handles frames that arrived meanwhile. */
  attach(room: Room): void {
    if (!this.open) return;
    this.room = room;
    this.relayCredit = new RelayCredit(room.awarenessBroadcasts, this.awarenessBroadcasts, this.limits.messagesPerSecond * 2);
    room.connections.add(this);
    room.greet(this);
    this.announceRole(null);
    const early = this.early;
    this.early = [];
    // Already checked and charged when they arrived.
    for (const frame of early) if (this.room) this.handle(this.room, frame, null);
  }

  /** Whether its document updates are applied (editors and owners) or discarded (viewers). */
  get canWrite(): boolean {
    return can(this.access.role, 'edit');
  }

  /**
   * Its role changed while open (access changed, link rotated, account demoted): from now on
   * its updates are applied or discarded accordingly, and it is told.
   */
  setRole(role: DocumentRole): void {
    const previous = this.access.role;
    if (role === previous) return;
    this.access.role = role;
    if (this.room) this.announceRole(previous);
  }

  /** Tells the client its role: the stock auth message once it becomes read-only, and Quire's role message if it asked. */
  private announceRole(previous: DocumentRole | null): void {
    const wasWriter = previous !== null && can(previous, 'edit');
    if (!this.canWrite && (previous === null || wasWriter)) this.send(encodePermissionDenied(READ_ONLY_REASON));
    if (this.access.roleUpdates) this.send(encodeRoleMessage(this.access.role));
  }

  /** Handles one incoming frame. */
  receive(frame: Uint8Array | string): void {
    if (!this.open) return;
    if (typeof frame === 'string') return this.close(CloseCode.malformed, 'text frames are not part of the protocol');
    if (frame.byteLength > this.limits.maxMessageBytes && !(isSyncStep2(frame) && frame.byteLength <= this.limits.maxStep2Bytes)) {
      return this.close(CloseCode.tooLarge);
    }
    // The account's limit is charged only for a message within the connection's own.
    const overRate: MessageRateLimit | null = !this.messages.take()
      ? 'messages_per_second'
      : (this.limits.userMessages?.take(this.user.id) ?? 0) > 0
        ? 'messages_per_second_per_user'
        : null;
    if (overRate && !this.passesOnRelayCredit(frame)) return this.closeForRate(overRate);
    if (!this.room) {
      // Bounded: a client may not pile up frames while its document is still loading.
      this.earlyBytes += frame.byteLength;
      if (this.earlyBytes > 2 * this.limits.maxMessageBytes) return this.close(CloseCode.tooMany, 'too much sent before the document opened');
      this.early.push(frame);
      return;
    }
    this.handle(this.room, frame, overRate);
  }

  private closeForRate(limit: MessageRateLimit): void {
    this.limits.onRateLimited?.(limit);
    this.close(CloseCode.tooMany, 'too many messages');
  }

  private readonly spendAwareness = (bytes: number): boolean => this.awarenessBytes?.spend(bytes) ?? true;

  /** Past the rate, an awareness frame may still pass on relay credit (checked to be a relay once decoded). */
  private passesOnRelayCredit(frame: Uint8Array): boolean {
    if (frame[0] !== MessageType.awareness || !this.room || !this.relayCredit) return false;
    return this.relayCredit.take(this.room.awarenessBroadcasts, this.awarenessBroadcasts);
  }

  /** Decodes and dispatches one frame; `onCredit` names the rate it came past as a presumed relay. */
  private handle(room: Room, frame: Uint8Array, onCredit: MessageRateLimit | null): void {
    let message: IncomingMessage;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      return this.close(CloseCode.malformed, error instanceof ProtocolError ? error.message : undefined);
    }
    this.dispatch(room, message, onCredit);
  }

  private dispatch(room: Room, message: IncomingMessage, onCredit: MessageRateLimit | null): void {
    if (message.type === 'sync-update') return this.queueUpdate(room, message.update);
    // Whatever comes after updates (a save mark above all) is handled after they are applied.
    this.applyQueuedUpdates(room);
    if (!this.open) return;
    this.guarded(message.type, () => {
      switch (message.type) {
        case 'sync-step1':
          room.answerSyncStep1(this, message.stateVector);
          break;
        case 'sync-step2':
          // A step 2 is already the answer to "send what I lack": asking again could only loop.
          this.applyUpdate(room, [message.update], true);
          break;
        case 'awareness': {
          const changed = room.applyAwareness(this, message.update, decodeAwarenessHeaders(message.update), this.limits.maxAwarenessBytes, this.spendAwareness);
          // Credit pays for relays only: a change of its own past the rate is flooding.
          if (onCredit && changed) return this.closeForRate(onCredit);
          break;
        }
        case 'save-mark':
          room.commits.saveMark(this, message.seq);
          break;
        case 'query-awareness':
          room.sendAwarenessStates(this);
          break;
        case 'auth':
          // Clients never authenticate in-band: the session was checked at upgrade.
          break;
      }
    });
  }

  /**
   * Holds an incremental update until the end of the event-loop turn (or until another message
   * comes): a client sending faster than the server turns (a replayed paste, a reconnect's
   * backlog) has a turn's updates applied as one Yjs transaction, which costs the
   * server one transaction, one commit row and one broadcast instead of one per keystroke.
   */
  private queueUpdate(room: Room, update: Uint8Array): void {
    // A large update is applied alone: in one transaction with others it would only make one longer stall.
    if (update.byteLength > MAX_MERGED_BYTES / 4) {
      this.applyQueuedUpdates(room);
      if (this.open) this.applyUpdates(room, [update]);
      return;
    }
    this.queuedUpdates.push(update);
    this.queuedUpdateBytes += update.byteLength;
    if (this.queuedUpdates.length >= MAX_MERGED_UPDATES || this.queuedUpdateBytes >= MAX_MERGED_BYTES) return this.applyQueuedUpdates(room);
    if (this.queuedUpdates.length === 1) room.atTurnEnd(() => this.room === room && this.applyQueuedUpdates(room));
  }

  /** Applies the held updates now. */
  private applyQueuedUpdates(room: Room): void {
    const updates = this.queuedUpdates;
    if (updates.length === 0) return;
    this.queuedUpdates = [];
    this.queuedUpdateBytes = 0;
    this.applyUpdates(room, updates);
  }

  private applyUpdates(room: Room, updates: Uint8Array[]): void {
    this.guarded('sync-update', () => {
      // An edit whose dependencies the server lacks: ask for them instead of dropping it silently.
      if (this.applyUpdate(room, updates, false)) room.requestMissing(this);
    });
  }

  /** Runs a message's handling; what it throws closes this connection with the matching code. */
  private guarded(type: IncomingMessage['type'], handle: () => void): void {
    try {
      handle();
    } catch (error) {
      if (error instanceof DocumentTooLargeError || error instanceof DocumentStructureError || error instanceof AwarenessStateTooLargeError) {
        return this.close(CloseCode.tooLarge, error.message);
      }
      // Not final: a client that reconnects starts with no marks waiting.
      if (error instanceof TooManySaveMarksError) return this.close(CloseCode.tryAgainLater, error.message);
      if (error instanceof ProtocolError) return this.close(CloseCode.malformed, error.message);
      this.logger.debug('rejected a malformed message', { documentId: this.documentId, type, error });
      this.close(CloseCode.malformed, `invalid ${type} payload`);
    }
  }

  /**
   * Applies an update or step 2 and keeps the save marks' account; true when part of it was set
   * aside. A viewer's are discarded: never applied, stored or broadcast (it was told it is read-only).
   */
  private applyUpdate(room: Room, updates: readonly Uint8Array[], isStep2: boolean): boolean {
    const dropped = this.canWrite ? room.applyUpdates(this, updates) : false;
    if (this.saveMarks.applied(room.commits.enqueued, dropped, isStep2)) room.commits.answerSaveMarks(this);
    return dropped;
  }

  /**
   * Sends a frame the client must get (greeting, replies, catch-ups). Past the hard bound the
   * client is closed with 1013 so it reconnects and resyncs: Bun would otherwise drop frames
   * silently and the client would diverge.
   */
  send(frame: Uint8Array): void {
    if (!this.open) return;
    if (this.socket.bufferedAmount() > this.limits.maxBufferedBytes || !this.socket.send(frame)) {
      this.close(CloseCode.tryAgainLater);
      return;
    }
    this.lastSentAt = performance.now();
  }

  /** Starts receiving a topic's published frames (its room's broadcasts). */
  subscribe(topic: string): void {
    if (this.open) this.socket.subscribe(topic);
  }

  unsubscribe(topic: string): void {
    if (this.open) this.socket.unsubscribe(topic);
  }

  /** Sends a frame to every other subscriber of a topic, not to this connection. */
  publish(topic: string, frame: Uint8Array): void {
    this.socket.publish(topic, frame);
  }

  /** Bytes queued for this client and not yet written to the network. */
  get queuedBytes(): number {
    return this.socket.bufferedAmount();
  }

  /** The socket wrote out its queue: a client that fell behind can be caught up. */
  drained(): void {
    if (!this.open || !this.room) return;
    if (this.socket.bufferedAmount() <= this.limits.maxBufferedBytes / 4) this.room.catchUp(this);
  }

  /** Closes the socket and leaves the room. Safe to call more than once. */
  close(code: number, reason?: string): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.socket.close(code, (reason ?? CLOSE_REASONS[code] ?? '').slice(0, 120));
    } catch (error) {
      this.logger.debug('closing a socket failed', { error });
    }
    this.leave();
  }

  /** The socket closed (by either side): forget this connection, keeping what it had sent. */
  closed(): void {
    if (this.open && this.room) this.applyQueuedUpdates(this.room);
    this.open = false;
    this.leave();
  }

  private leave(): void {
    this.queuedUpdates = [];
    this.queuedUpdateBytes = 0;
    this.early = [];
    this.earlyBytes = 0;
    const room = this.room;
    this.room = null;
    if (room) room.removeConnection(this);
    const onLeave = this.onLeave;
    this.onLeave = null;
    onLeave?.(this);
  }
}

/** Whether a frame is a sync step 2, from its first two bytes (both varUints below 128). */
function isSyncStep2(frame: Uint8Array): boolean {
  return frame[0] === MessageType.sync && frame[1] === SyncMessageType.step2;
}
