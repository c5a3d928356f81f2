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
 *   mark is stored durably". `seq` is the client's own number (any safe integer; the server
 *   only echoes it). A mark without `seq`, with trailing bytes or out of range closes with 4400.
 * - server → client `[varUint 100][varUint seq]`: every update this connection sent before mark
 *   `seq` is committed to storage, with anything it merely repeated from another connection's
 *   update still in flight. Sent at once when nothing is pending, so a mark doubles as a
 *   liveness ping; marks of one connection are answered in the order they were sent.
 * - An update the server set aside for missing dependencies (it answers with a sync step 1)
 *   counts as pending until the step 2 from the same connection that fills the gap is
 *   committed. If none does, later marks stay unanswered: a client that stops hearing answers
 *   reconnects, and the reconnect's sync exchange resends what was missing.
 * - While storage fails, commits are retried and marks wait for them; nothing is acknowledged
 *   before it is stored. More than 1024 marks waiting on one connection close it with 1013.
 * - A mark counts toward the per-connection message rate like any message, and one sent before
 *   the document finished loading is queued like any early frame.
 */
export const SAVE_MARK_MESSAGE_TYPE = 100;

/**
 * Quire's second extension: the connection's role, so Quire's own editor turns read-only (or
 * editable again) the moment its access changes, without reconnecting. Sent only to connections
 * that asked for it with the `roles=1` query parameter; stock clients never see one.
 *
 * - server → client `[varUint 101][varString role]`, `role` one of `viewer`, `editor`, `owner`:
 *   sent right after the greeting and again whenever the role changes.
 * - A viewer also gets the stock auth message (type 2, permission denied, reason `read-only`)
 *   once, when it joins read-only or is downgraded; its document updates are discarded.
 * - Losing read access closes the connection with 4403.
 */
export const ROLE_MESSAGE_TYPE = 101;

/** Query parameter with which a client asks for role messages. */
export const ROLE_UPDATES_PARAM = 'roles';

/** Reason of the auth message a read-only connection is told once. */
export const READ_ONLY_REASON = 'read-only';
