/** Pins the wire constants: changing one breaks every deployed client, so it must be deliberate. */
import { expect, test } from 'bun:test';
import { CLOSE_REASONS, CloseCode, TERMINAL_CLOSE_CODES } from './close-codes.ts';
import { DOCUMENT_FRAGMENT, MessageType, SyncMessageType } from './protocol.ts';

test('message types are the y-websocket ones', () => {
  expect(MessageType).toEqual({ sync: 0, awareness: 1, auth: 2, queryAwareness: 3 });
  expect(SyncMessageType).toEqual({ step1: 0, step2: 1, update: 2 });
  expect(DOCUMENT_FRAGMENT).toBe('default');
});

test('close codes are the documented ones, each with a short reason', () => {
  expect(CloseCode).toMatchObject({
    unauthenticated: 4401,
    forbidden: 4403,
    notFound: 4404,
    tooLarge: 4413,
    malformed: 4400,
    tooMany: 4429,
    tryAgainLater: 1013,
    goingAway: 1001,
  });
  for (const code of Object.values(CloseCode)) {
    expect(new TextEncoder().encode(CLOSE_REASONS[code]).length).toBeLessThan(123);
  }
  expect([...TERMINAL_CLOSE_CODES].sort()).toEqual([4400, 4401, 4403, 4404, 4413, 4429]);
  expect(TERMINAL_CLOSE_CODES.has(CloseCode.tryAgainLater)).toBe(false);
});
