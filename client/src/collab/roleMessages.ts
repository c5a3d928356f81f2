/**
 * The connection's role as the sync server tells it (shared/protocol.ts): Quire's role message,
 * and the stock auth message a read-only connection gets. Decoding is pure; `listenForRoles`
 * binds it to a provider, as the save channel binds save marks.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import { DOCUMENT_ROLES, type DocumentRole } from '../../../shared/dto.ts';
import { AuthMessageType, MessageType, READ_ONLY_REASON, ROLE_MESSAGE_TYPE } from '../../../shared/protocol.ts';

/** `[varUint 101][varString role]`, as the server sends it (for tests and fakes). */
export function encodeRoleMessage(role: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, ROLE_MESSAGE_TYPE);
  encoding.writeVarString(encoder, role);
  return encoding.toUint8Array(encoder);
}

/** The role of a role message whose type was already read; null for a role this client does not know. */
export function readRoleMessage(decoder: decoding.Decoder): DocumentRole | null {
  const role = decoding.readVarString(decoder);
  return (DOCUMENT_ROLES as readonly string[]).includes(role) ? (role as DocumentRole) : null;
}

/** Whether an auth message whose type was already read says the connection is read-only. */
export function readsReadOnly(decoder: decoding.Decoder): boolean {
  if (decoding.readVarUint(decoder) !== AuthMessageType.permissionDenied) return false;
  return decoding.readVarString(decoder) === READ_ONLY_REASON;
}

/**
 * Calls `onRole` whenever the server tells `provider`'s connection its role. The stock auth
 * handler is replaced too: it only warns on the console, and "read-only" means the viewer role.
 */
export function listenForRoles(provider: WebsocketProvider, onRole: (role: DocumentRole) => void): void {
  provider.messageHandlers[ROLE_MESSAGE_TYPE] = (_encoder, decoder) => {
    const role = readRoleMessage(decoder);
    if (role !== null) onRole(role);
  };
  provider.messageHandlers[MessageType.auth] = (_encoder, decoder) => {
    if (readsReadOnly(decoder)) onRole('viewer');
  };
}
