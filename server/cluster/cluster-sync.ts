/**
 * Connects this instance's rooms to the others: durable updates and awareness go out on the
 * document's channel, theirs are applied here, an instance opening a document asks the others
 * for what it lacks (no timers), deletions close connections everywhere, and after a Redis
 * outage every open document resyncs.
 */
import type { User } from '../../shared/dto.ts';
import type { Logger } from '../logger.ts';
import type { DocumentListener } from '../modules/documents/service.ts';
import type { DocumentRecord } from '../storage/store.ts';
import type { Connection } from '../sync/connection.ts';
import type { RoomObserver } from '../sync/room-contract.ts';
import type { Room } from '../sync/room.ts';
import type { RoomRegistry } from '../sync/rooms.ts';
import { isEmptyUpdate } from '../sync/update-bytes.ts';
import type { ClusterBus } from './bus.ts';
import {
  ClusterMessageKind,
  decodeAwarenessRelay,
  decodeSyncReply,
  encodeAwarenessRelay,
  encodeSyncReply,
  type ClusterMessage,
} from './messages.ts';

const EMPTY = new Uint8Array(0);
const RESYNC_REPEAT_MS = 1000;

/** Room observer and document listener that fan changes out across instances. */
export class ClusterSync implements RoomObserver, DocumentListener {
  private rooms: RoomRegistry | null = null;

  constructor(
    private readonly bus: ClusterBus,
    private readonly logger: Logger,
  ) {
    bus.onGlobal((message) => this.onGlobal(message));
    bus.onReconnect(() => this.resyncAll());
  }

  /** The registry is created after its observers; it is attached here. */
  attach(rooms: RoomRegistry): void {
    this.rooms = rooms;
  }

  onOpen(room: Room): void {
    this.bus
      .join(room.id, (message) => this.onDocumentMessage(room, message))
      .then(() => this.requestSync(room))
      .catch((error: unknown) => this.logger.warn('subscribing to a document channel failed', { documentId: room.id, error }));
  }

  onCommitted(room: Room, update: Uint8Array): void {
    this.bus.publishDocument({ kind: ClusterMessageKind.update, documentId: room.id, payload: update });
  }

  onLocalAwareness(room: Room, update: Uint8Array, origin: Connection): void {
    this.publishAwareness(room, origin.user.id, update);
  }

  private publishAwareness(room: Room, userId: string, update: Uint8Array): void {
    this.bus.publishDocument({ kind: ClusterMessageKind.awareness, documentId: room.id, payload: encodeAwarenessRelay(userId, update) });
  }

  onClose(room: Room): void {
    void this.bus.leave(room.id);
  }

  created(): void {}

  renamed(): void {}

  deleted(document: DocumentRecord, _actor: User): void {
    this.bus.publishGlobal({ kind: ClusterMessageKind.deleted, documentId: document.id, payload: EMPTY });
  }

  private requestSync(room: Room): void {
    this.bus.publishDocument({ kind: ClusterMessageKind.syncRequest, documentId: room.id, payload: room.stateVector() });
  }

  /**
   * After Redis returns, every open document asks the others for what it missed. Instances
   * reconnect at slightly different moments, so the request is repeated once a little later in
   * case a peer had not resubscribed yet.
   */
  private resyncAll(): void {
    const resync = () => {
      for (const room of this.rooms?.rooms() ?? []) this.requestSync(room);
    };
    resync();
    setTimeout(resync, RESYNC_REPEAT_MS).unref?.();
  }

  private onDocumentMessage(room: Room, message: ClusterMessage): void {
    try {
      switch (message.kind) {
        case ClusterMessageKind.update:
          room.applyRemoteUpdate(message.payload);
          break;
        case ClusterMessageKind.syncReply:
          this.completeSync(room, message.payload);
          break;
        case ClusterMessageKind.awareness: {
          const { userId, update } = decodeAwarenessRelay(message.payload);
          room.applyRemoteAwareness(update, userId);
          break;
        }
        case ClusterMessageKind.syncRequest:
          this.answerSyncRequest(room, message.payload);
          break;
      }
    } catch (error) {
      this.logger.warn('ignored a malformed cluster message', { documentId: room.id, kind: message.kind, error });
    }
  }

  /**
   * Sends what the asking instance lacks (once it is durable here) with our state vector, so
   * the asker answers with what we lack: one exchange brings both sides up to date.
   */
  private answerSyncRequest(room: Room, stateVector: Uint8Array): void {
    room.whenCommitted(() => {
      const payload = encodeSyncReply(room.encodeStateAsUpdate(stateVector), room.stateVector());
      this.bus.publishDocument({ kind: ClusterMessageKind.syncReply, documentId: room.id, payload });
      for (const { userId, update } of room.encodeLocalAwareness()) this.publishAwareness(room, userId, update);
    });
  }

  /** Applies a sync reply, then sends back whatever the answerer lacks. */
  private completeSync(room: Room, payload: Uint8Array): void {
    const { update, stateVector } = decodeSyncReply(payload);
    room.applyRemoteUpdate(update);
    room.whenCommitted(() => {
      const missing = room.encodeStateAsUpdate(stateVector);
      if (!isEmptyUpdate(missing)) this.bus.publishDocument({ kind: ClusterMessageKind.update, documentId: room.id, payload: missing });
    });
  }

  private onGlobal(message: ClusterMessage): void {
    if (message.kind === ClusterMessageKind.deleted) this.rooms?.closeDocument(message.documentId);
  }
}
