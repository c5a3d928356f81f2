/**
 * The y-websocket wire protocol as Quire speaks it. Types only and constants, shared by the
 * server, the client and the benchmarks; `shared/protocol.test.ts` pins every value.
 */

/** Top-level message types: the first varUint of every binary frame. */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Sub-types of a sync message (y-protocols/sync). */
export const SyncMessageType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const;
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType];

/** Sub-types of an auth message (y-protocols/auth). */
export const AuthMessageType = {
  permissionDenied: 0,
} as const;

/** Name of the Y.XmlFragment that Tiptap's Collaboration extension edits. */
export const DOCUMENT_FRAGMENT = 'default';

/** Path prefix of the sync endpoint: `ws://host/sync/:documentId`. */
export const SYNC_PATH = '/sync';
