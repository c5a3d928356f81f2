/**
 * Pure encoders and a decoder for the y-websocket wire format, byte-compatible with
 * y-protocols (pinned by `protocol.test.ts` against frames y-protocols itself produces).
 * Nothing here touches a socket, a room or a Y.Doc.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { AuthMessageType, MessageType, SAVE_MARK_MESSAGE_TYPE, SyncMessageType } from '../../shared/protocol.ts';

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

/**
 * Decodes an awareness update (the payload of an awareness message) without applying it, so
 * its JSON, sizes and client ids can be checked before any of it reaches the room. Throws
 * `ProtocolError` when it is truncated, has trailing bytes, or a state is not valid JSON.
 */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  try {
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      entries.push({ clientId, clock, json: decoding.readVarString(decoder), removes: false });
    }
  } catch {
    throw new ProtocolError('truncated or malformed awareness update');
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the awareness update');
  for (const entry of entries) {
    try {
      entry.removes = JSON.parse(entry.json) === null;
    } catch {
      throw new ProtocolError(`awareness state of client ${entry.clientId} is not valid JSON`);
    }
  }
  return entries;
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

function readPayload(decoder: decoding.Decoder): Uint8Array {
  return decoding.readVarUint8Array(decoder);
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
