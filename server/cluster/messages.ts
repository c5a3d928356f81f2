/**
 * Messages between Quire instances on Redis pub/sub, as compact binary frames: Yjs updates
 * travel as bytes, not base64 JSON. Pure functions, tested byte for byte in `messages.test.ts`.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { DocumentRole } from '../../shared/dto.ts';
import type { AccessRules } from '../policy/document-access.ts';

export const ClusterMessageKind = {
  /** A durable document update. */
  update: 0,
  /** An awareness update from a connection on the sender (payload: `encodeAwarenessRelay`). */
  awareness: 1,
  /** "I opened this document: send me what I lack" (payload: my state vector). */
  syncRequest: 2,
  /** The answer to a sync request (payload: `encodeSyncReply`): what the asker lacks, and the
   * answerer's state vector so the asker can send back what the answerer lacks. */
  syncReply: 3,
  /** The document was deleted: close its connections. */
  deleted: 4,
  /** New activity events were stored: read them. */
  activity: 5,
  /** Sessions ended (sign-out, disabled account, password change): close their sockets and streams (payload: `encodeEndedSessions`). */
  sessionsEnded: 6,
  /** An account's name or colour changed: its open connections show the new one (payload: `encodeIdentity`). */
  profileChanged: 7,
  /** Who may open a document changed: its connections re-ask the policy with the rules in storage (payload: the rules before, `encodeAccessRules`). */
  accessChanged: 8,
  /** An account became or stopped being an admin (payload: `encodeAdminChange`). */
  adminChanged: 9,
} as const;
export type ClusterMessageKind = (typeof ClusterMessageKind)[keyof typeof ClusterMessageKind];

/** One message between instances. */
export interface ClusterMessage {
  kind: ClusterMessageKind;
  /** The sending instance: receivers ignore their own messages. */
  sender: string;
  documentId: string;
  payload: Uint8Array;
}

const KINDS = new Set<number>(Object.values(ClusterMessageKind));

export function encodeClusterMessage(message: ClusterMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, message.kind);
  encoding.writeVarString(encoder, message.sender);
  encoding.writeVarString(encoder, message.documentId);
  encoding.writeVarUint8Array(encoder, message.payload);
  return encoding.toUint8Array(encoder);
}

/** Decodes a message; null when it is not one (another program on the same channel). */
export function decodeClusterMessage(bytes: Uint8Array): ClusterMessage | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    const kind = decoding.readVarUint(decoder);
    if (!KINDS.has(kind)) return null;
    const sender = decoding.readVarString(decoder);
    const documentId = decoding.readVarString(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (decoding.hasContent(decoder)) return null;
    return { kind: kind as ClusterMessageKind, sender, documentId, payload };
  } catch {
    return null;
  }
}

/** The payload of a sync reply: an update for the asker and the answerer's state vector. */
export function encodeSyncReply(update: Uint8Array, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint8Array(encoder, update);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

export function decodeSyncReply(payload: Uint8Array): { update: Uint8Array; stateVector: Uint8Array } {
  const decoder = decoding.createDecoder(payload);
  return { update: decoding.readVarUint8Array(decoder), stateVector: decoding.readVarUint8Array(decoder) };
}

/**
 * The payload of an awareness message: the user whose connection announced it (receivers keep
 * one user from setting another's presence across instances too) and the awareness update.
 */
export function encodeAwarenessRelay(userId: string, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, userId);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function decodeAwarenessRelay(payload: Uint8Array): { userId: string; update: Uint8Array } {
  const decoder = decoding.createDecoder(payload);
  return { userId: decoding.readVarString(decoder), update: decoding.readVarUint8Array(decoder) };
}

/** Which sessions ended: one, or every session of an account but one (or none). */
export type EndedSessions = { sessionId: string } | { userId: string; exceptSessionId: string | null };

export function encodeEndedSessions(ended: EndedSessions): Uint8Array {
  const encoder = encoding.createEncoder();
  if ('sessionId' in ended) {
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarString(encoder, ended.sessionId);
  } else {
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, ended.userId);
    encoding.writeVarString(encoder, ended.exceptSessionId ?? '');
  }
  return encoding.toUint8Array(encoder);
}

export function decodeEndedSessions(payload: Uint8Array): EndedSessions {
  const decoder = decoding.createDecoder(payload);
  const scope = decoding.readVarUint(decoder);
  if (scope === 0) return { sessionId: decoding.readVarString(decoder) };
  if (scope !== 1) throw new Error(`unknown session scope ${scope}`);
  const userId = decoding.readVarString(decoder);
  const except = decoding.readVarString(decoder);
  return { userId, exceptSessionId: except === '' ? null : except };
}

/** The payload of a profile change: the account's id, name and colour. */
export function encodeIdentity(identity: { id: string; name: string; color: string }): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, identity.id);
  encoding.writeVarString(encoder, identity.name);
  encoding.writeVarString(encoder, identity.color);
  return encoding.toUint8Array(encoder);
}

export function decodeIdentity(payload: Uint8Array): { id: string; name: string; color: string } {
  const decoder = decoding.createDecoder(payload);
  return { id: decoding.readVarString(decoder), name: decoding.readVarString(decoder), color: decoding.readVarString(decoder) };
}

/** The payload of an admin change: the account, and whether it is an admin now. */
export function encodeAdminChange(change: { userId: string; admin: boolean }): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, change.userId);
  encoding.writeVarUint(encoder, change.admin ? 1 : 0);
  return encoding.toUint8Array(encoder);
}

export function decodeAdminChange(payload: Uint8Array): { userId: string; admin: boolean } {
  const decoder = decoding.createDecoder(payload);
  return { userId: decoding.readVarString(decoder), admin: decoding.readVarUint(decoder) === 1 };
}

/** The payload of an access change: the document's rules before it, so readers who lose access can be told. */
export function encodeAccessRules(rules: AccessRules): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({ ownerId: rules.ownerId, general: rules.general, grants: [...rules.grants], linkToken: rules.linkToken }),
  );
}

export function decodeAccessRules(payload: Uint8Array): AccessRules {
  const json = JSON.parse(new TextDecoder().decode(payload)) as { ownerId: string; general: AccessRules['general']; grants: [string, DocumentRole][]; linkToken: string | null };
  return { ownerId: json.ownerId, general: json.general, grants: new Map(json.grants), linkToken: json.linkToken };
}
