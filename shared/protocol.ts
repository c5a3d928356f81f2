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

/**
 * Quire's one extension of the protocol: save marks, so a client can tell when its edits are
 * durable and notice a dead connection quickly. Stock clients never send one and so never
 * receive one; the stock message types above are untouched.
 *
 * - client → server `[varUint 100][varUint seq]`: "tell me when everything I sent before this
 *   mark is stored durably".
 * - server → client `[varUint 100][varUint seq]`: every update this connection sent before mark
 *   `seq` is committed to storage (sent at once when nothing is pending, so a mark doubles as a
 *   liveness ping). An update the server set aside for missing dependencies counts as pending
 *   until the step 2 that fills the gap is committed.
 */
export const SAVE_MARK_MESSAGE_TYPE = 100;
