/**
 * What a room (`room.ts`) is given and whom it tells: the server's parts it needs, and the hooks
 * through which cross-cutting concerns (activity, history, cluster fan-out) follow it.
 */
import type * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import type { Store } from '../storage/store.ts';
import type { Connection } from './connection.ts';
import type { StructureLimits } from './document-structure.ts';
import type { PublishAll } from './fanout.ts';
import type { Room } from './room.ts';
import type { UpdateWriter } from './update-writer.ts';

/** Cross-cutting concerns (activity, cluster fan-out) observe a room through these hooks. */
export interface RoomObserver {
  /** The room was loaded and is about to accept its first connection (its Y.Doc may not exist yet). */
  onOpen?(room: Room): void;
  /** The room's Y.Doc was built from its stored state, before any change is applied to it. */
  onDocumentLoaded?(room: Room, doc: Y.Doc): void;
  /** Whether the observer still reads the room's live Y.Doc (which then stays built). */
  holdsDocument?(room: Room): boolean;
  /** The room is letting go of its Y.Doc: stop observing it (`onDocumentLoaded` comes again if it is rebuilt). */
  onDocumentUnloaded?(room: Room, doc: Y.Doc): void;
  /** A transaction from a connection changed the document (before it is durable). */
  onTransaction?(room: Room, transaction: Y.Transaction, origin: Connection): void;
  /** A change made on this instance is durable and goes out to peers; `sender` is null for one the server made. */
  onCommitted?(room: Room, update: Uint8Array, sender: Connection | null): void;
  /** A connection on this instance changed awareness (its own entry, or its removal when it left). */
  onLocalAwareness?(room: Room, update: Uint8Array, origin: Connection): void;
  /** The room is being released from memory. */
  onClose?(room: Room): void;
}

/** What a room needs from the server around it. */
export interface RoomDeps {
  store: Store;
  writer: UpdateWriter;
  logger: Logger;
  compactAfterUpdates: number;
  maxDocumentBytes: number;
  /** Most bytes of awareness states the document holds in all (bounds a joiner's greeting). */
  maxDocumentAwarenessBytes?: number;
  /** Nesting and node limits, checked on each update a connection sends before it is applied. */
  structure: StructureLimits;
  observers: readonly RoomObserver[];
  /** Sends a frame to every socket on a topic (the runtime's native fan-out). */
  publishAll: PublishAll;
  /** A connection with more queued than this is closed; past half of it, it is caught up later. */
  maxBufferedBytes: number;
}
