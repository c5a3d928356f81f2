/**
 * Pure encoders and decoders for the y-websocket sync messages the load generator sends and
 * reads. The payload layout is the one y-protocols defines; wrapping for a particular server
 * (a document-name prefix, an auth handshake) is the adapters' job, not this module's.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType, SyncMessageType } from '../../shared/protocol.ts';

/** An update that adds nothing: what a client with an empty document answers to step 1. */
export const EMPTY_UPDATE = new Uint8Array([0, 0]);
/** The state vector of an empty document. */
export const EMPTY_STATE_VECTOR = new Uint8Array([0]);

/** A decoded message that the load generator cares about; everything else is `other`. */
export type InboundMessage =
  | { kind: 'step1'; stateVector: Uint8Array }
  | { kind: 'step2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness' }
  | { kind: 'other'; type: number };

/** Encodes a sync message (step 1, step 2 or update) with its payload. */
export function encodeSync(subType: SyncMessageType, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1 carrying the sender's state vector. */
export const encodeStep1 = (stateVector: Uint8Array): Uint8Array => encodeSync(SyncMessageType.step1, stateVector);
/** Sync step 2 carrying the update the other side is missing. */
export const encodeStep2 = (update: Uint8Array): Uint8Array => encodeSync(SyncMessageType.step2, update);
/** An incremental document update. */
export const encodeUpdate = (update: Uint8Array): Uint8Array => encodeSync(SyncMessageType.update, update);

/** Asks the server for every awareness state; its answer comes after everything sent before it was handled. */
export function encodeQueryAwareness(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.queryAwareness);
  return encoding.toUint8Array(encoder);
}

/**
 * Decodes one y-websocket message from a decoder positioned at its type. `syncTypes` lists the
 * top-level types that carry a sync payload (Hocuspocus adds "sync reply" beside plain sync).
 */
export function decodeMessage(decoder: decoding.Decoder, syncTypes: ReadonlySet<number>): InboundMessage {
  const type = decoding.readVarUint(decoder);
  if (syncTypes.has(type)) {
    const subType = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (subType === SyncMessageType.step1) return { kind: 'step1', stateVector: payload };
    if (subType === SyncMessageType.step2) return { kind: 'step2', update: payload };
    if (subType === SyncMessageType.update) return { kind: 'update', update: payload };
    return { kind: 'other', type };
  }
  if (type === MessageType.awareness) return { kind: 'awareness' };
  return { kind: 'other', type };
}
