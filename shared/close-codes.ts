/**
 * WebSocket close codes the sync endpoint uses. Clients read them to tell a reason to retry
 * (going away, too many) from a reason to stop (unauthenticated, deleted).
 */
export const CloseCode = {
  /** Server shutting down or restarting: reconnect (elsewhere). Standard code. */
  goingAway: 1001,
  /** No valid session. */
  unauthenticated: 4401,
  /** The session may not open this document (e.g. a foreign Origin). */
  forbidden: 4403,
  /** No such document, or it was deleted. */
  notFound: 4404,
  /** A message or the document grew past its size limit. */
  tooLarge: 4413,
  /** A frame that is not a well-formed protocol message. */
  malformed: 4400,
  /** Too many connections or messages; also used when a slow reader falls too far behind. */
  tooMany: 4429,
  /** Storage failed in a way this connection cannot recover from; reconnecting resyncs. */
  internalError: 1011,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client should not reconnect by itself. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.unauthenticated,
  CloseCode.forbidden,
  CloseCode.notFound,
]);

/** Human-readable reason sent with each close code (kept under the 123-byte limit). */
export const CLOSE_REASONS: Readonly<Record<number, string>> = {
  [CloseCode.goingAway]: 'server going away',
  [CloseCode.unauthenticated]: 'unauthenticated',
  [CloseCode.forbidden]: 'forbidden',
  [CloseCode.notFound]: 'no such document',
  [CloseCode.tooLarge]: 'message or document too large',
  [CloseCode.malformed]: 'malformed message',
  [CloseCode.tooMany]: 'too many connections or messages',
  [CloseCode.internalError]: 'internal error',
};
