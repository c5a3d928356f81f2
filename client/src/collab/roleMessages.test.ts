import { describe, expect, test } from 'bun:test';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import type { DocumentRole } from '../../../shared/dto.ts';
import { encodeRoleMessage, listenForRoles } from './roleMessages.ts';

type Handler = (encoder: encoding.Encoder, decoder: decoding.Decoder) => void;

/** Delivers `frame` to the handler its first varUint names, as y-websocket's readMessage does. */
function deliver(handlers: Handler[], frame: Uint8Array): void {
  const decoder = decoding.createDecoder(frame);
  const handler = handlers[decoding.readVarUint(decoder)];
  if (handler === undefined) throw new Error('no handler');
  handler(encoding.createEncoder(), decoder);
}

function authFrame(subtype: number, reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint(encoder, subtype);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}

function listening(): { handlers: Handler[]; roles: DocumentRole[] } {
  const handlers: Handler[] = [];
  const roles: DocumentRole[] = [];
  listenForRoles({ messageHandlers: handlers } as unknown as WebsocketProvider, (role) => roles.push(role));
  return { handlers, roles };
}

describe('role messages', () => {
  test('the frame is [varUint 101][varString role]', () => {
    expect([...encodeRoleMessage('editor')]).toEqual([101, 6, ...new TextEncoder().encode('editor')]);
  });

  test('each role the server names reaches the listener, in order; unknown roles are ignored', () => {
    const { handlers, roles } = listening();
    for (const role of ['viewer', 'editor', 'admin', 'owner']) deliver(handlers, encodeRoleMessage(role));
    expect(roles).toEqual(['viewer', 'editor', 'owner']);
  });

  test("the stock auth message 'read-only' means viewer; another denial reason is not a role", () => {
    const { handlers, roles } = listening();
    deliver(handlers, authFrame(0, 'read-only'));
    deliver(handlers, authFrame(0, 'something else'));
    expect(roles).toEqual(['viewer']);
  });
});
