/**
 * WebSocket close codes the sync endpoint uses. The stock y-websocket client (3.x) treats every
 * code from 4400 to 4499 as final and stops reconnecting, so those are kept for verdicts that a
 * reconnect cannot change; conditions that a reconnect fixes use standard codes (1001, 1011, 1013).
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
  /** Too many connections or messages: the client must back off (final for stock clients). */
  tooMany: 4429,
  /** The client fell too far behind (its send buffer overflowed): reconnect to resync. */
  tryAgainLater: 1013,
  /** Storage failed in a way this connection cannot recover from; reconnecting resyncs. */
  internalError: 1011,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client does not reconnect by itself (the stock client's 4400-4499 rule). */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set(
  Object.values(CloseCode).filter((code) => code >= 4400 && code < 4500),
);

/** Human-readable reason sent with each close code (kept under the 123-byte limit). */
export const CLOSE_REASONS: Readonly<Record<number, string>> = {
  [CloseCode.goingAway]: 'server going away',
  [CloseCode.unauthenticated]: 'unauthenticated',
  [CloseCode.forbidden]: 'forbidden',
  [CloseCode.notFound]: 'no such document',
  [CloseCode.tooLarge]: 'message or document too large',
  [CloseCode.malformed]: 'malformed message',
  [CloseCode.tooMany]: 'too many connections or messages',
  [CloseCode.tryAgainLater]: 'fell behind; reconnect to resync',
  [CloseCode.internalError]: 'internal error',
};
