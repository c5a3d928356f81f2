/**
 * Pure encoders and a decoder for the y-websocket wire format, byte-compatible with
 * y-protocols (pinned by `protocol.test.ts` against frames y-protocols itself produces).
 * Nothing here touches a socket, a room or a Y.Doc.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { decodeUtf8 } from 'lib0/string';
import type { DocumentRole } from '../../shared/dto.ts';
import { AuthMessageType, MessageType, ROLE_MESSAGE_TYPE, SAVE_MARK_MESSAGE_TYPE, SyncMessageType } from '../../shared/protocol.ts';

/** A frame decoded into the one message it carries. */
export type IncomingMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'auth'; subType: number; reason: string }
  | { type: 'save-mark'; seq: number };

/** A frame that is not a well-formed protocol message; closes the connection with 4400. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

function syncMessage(subType: SyncMessageType, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: "here is my state vector, send me what I lack". */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return syncMessage(SyncMessageType.step1, stateVector);
}

/** Sync step 2: the answer to step 1, an update with everything the peer lacks. */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return syncMessage(SyncMessageType.step2, update);
}

/** An incremental document update. */
export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return syncMessage(SyncMessageType.update, update);
}

/** An awareness update (as produced by y-protocols' `encodeAwarenessUpdate`). */
export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Asks the peer for all awareness states it knows. */
export function encodeQueryAwareness(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.queryAwareness);
  return encoding.toUint8Array(encoder);
}

/** Auth "permission denied" with a reason (y-protocols/auth). */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.auth);
  encoding.writeVarUint(encoder, AuthMessageType.permissionDenied);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/** A save mark: from a client, "tell me when what I sent is stored"; from the server, the answer. */
export function encodeSaveMark(seq: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SAVE_MARK_MESSAGE_TYPE);
  encoding.writeVarUint(encoder, seq);
  return encoding.toUint8Array(encoder);
}

/** Quire's role message: the connection's role on its document (only to clients that asked). */
export function encodeRoleMessage(role: DocumentRole): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, ROLE_MESSAGE_TYPE);
  encoding.writeVarString(encoder, role);
  return encoding.toUint8Array(encoder);
}

/**
 * An awareness update that announces nobody. Peers apply it as a no-op, so it is the
 * keep-alive that stops stable clients' 30-second silent-reconnect timer.
 */
export const EMPTY_AWARENESS_MESSAGE: Uint8Array = encodeAwareness(new Uint8Array([0]));

/** One client's entry in an awareness update: its id, clock and state as JSON text. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The state as sent (JSON text; `null` removes the client). */
  json: string;
  /** Whether the state is `null`: the entry removes the client. */
  removes: boolean;
}

/** An awareness entry as it sits in the frame: its state's UTF-8 bytes, neither decoded nor parsed yet. */
export interface RawAwarenessEntry {
  clientId: number;
  clock: number;
  /** The state's JSON as UTF-8 bytes: a view into the frame, not a copy. */
  state: Uint8Array;
  /** Whether the state is JSON `null` (the entry removes the client). */
  removes: boolean;
}

/** Whether UTF-8 bytes are the JSON text `null`, with any JSON whitespace around it. */
function isJsonNull(bytes: Uint8Array): boolean {
  const space = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
  let start = 0;
  let end = bytes.length;
  while (start < end && space(bytes[start])) start++;
  while (end > start && space(bytes[end - 1])) end--;
  return end - start === 4 && bytes[start] === 0x6e && bytes[start + 1] === 0x75 && bytes[start + 2] === 0x6c && bytes[start + 3] === 0x6c;
}

/**
 * Reads the entries of an awareness update (the payload of an awareness message) without
 * decoding or parsing any state, so client ids, clocks and byte sizes can be checked first and
 * entries that will be dropped never cost more than their header. Throws `ProtocolError` when
 * it is truncated or has trailing bytes.
 */
export function decodeAwarenessHeaders(update: Uint8Array): RawAwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const entries: RawAwarenessEntry[] = [];
  try {
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarUint8Array(decoder);
      entries.push({ clientId, clock, state, removes: isJsonNull(state) });
    }
  } catch {
    throw new ProtocolError('truncated or malformed awareness update');
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the awareness update');
  return entries;
}

/** Decodes and checks one entry's state; throws `ProtocolError` when it is not UTF-8 JSON. */
export function decodeAwarenessState(entry: RawAwarenessEntry): AwarenessEntry {
  let json: string;
  try {
    json = decodeUtf8(entry.state);
    JSON.parse(json);
  } catch {
    throw new ProtocolError(`awareness state of client ${entry.clientId} is not valid JSON`);
  }
  return { clientId: entry.clientId, clock: entry.clock, json, removes: entry.removes };
}

/**
 * Decodes an awareness update without applying it, so its JSON, sizes and client ids can be
 * checked before any of it reaches the room. Throws `ProtocolError` when it is truncated, has
 * trailing bytes, or a state is not valid JSON.
 */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  return decodeAwarenessHeaders(update).map(decodeAwarenessState);
}

/** Encodes entries as an awareness update, byte for byte as y-protocols' `encodeAwarenessUpdate` would. */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * A length-prefixed payload, copied out of the frame. Not a view, as lib0's `readVarUint8Array`
 * makes: a view needs the frame's ArrayBuffer, and the runtime creates one for each small frame
 * it received, moving the bytes out of the frame's inline storage. That cost a busy server a
 * tenth of its time; copying the payload costs a fraction of it.
 */
function readPayload(decoder: decoding.Decoder): Uint8Array {
  const length = decoding.readVarUint(decoder);
  const start = decoder.pos;
  if (start + length > decoder.arr.byteLength) throw new ProtocolError('truncated or malformed frame');
  decoder.pos = start + length;
  return decoder.arr.slice(start, start + length);
}

/** Decodes one frame; throws `ProtocolError` when it is truncated, unknown, or has trailing bytes. */
export function decodeMessage(frame: Uint8Array): IncomingMessage {
  const decoder = decoding.createDecoder(frame);
  let message: IncomingMessage;
  try {
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.sync: {
        const subType = decoding.readVarUint(decoder);
        const payload = readPayload(decoder);
        if (subType === SyncMessageType.step1) message = { type: 'sync-step1', stateVector: payload };
        else if (subType === SyncMessageType.step2) message = { type: 'sync-step2', update: payload };
        else if (subType === SyncMessageType.update) message = { type: 'sync-update', update: payload };
        else throw new ProtocolError(`unknown sync message type ${subType}`);
        break;
      }
      case MessageType.awareness:
        message = { type: 'awareness', update: readPayload(decoder) };
        break;
      case MessageType.queryAwareness:
        message = { type: 'query-awareness' };
        break;
      case MessageType.auth:
        message = { type: 'auth', subType: decoding.readVarUint(decoder), reason: decoding.readVarString(decoder) };
        break;
      case SAVE_MARK_MESSAGE_TYPE: {
        const seq = decoding.readVarUint(decoder);
        if (!Number.isSafeInteger(seq)) throw new ProtocolError('save mark sequence number out of range');
        message = { type: 'save-mark', seq };
        break;
      }
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError('truncated or malformed frame');
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the message');
  return message;
}
