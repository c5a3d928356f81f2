/**
 * Wire adapters: how each server family frames the same y-websocket messages. The load
 * generator speaks only through this interface, so one client implementation drives every peer.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType } from '../../shared/protocol.ts';
import { decodeMessage, type InboundMessage } from './messages.ts';

/** The three wire dialects under test. */
export type WireDialect = 'y-websocket' | 'hocuspocus' | 'relay';

/** What a client sends first on open, and how it frames and reads every message. */
export interface WireAdapter {
  readonly dialect: WireDialect;
  /** The URL that opens `documentId` on a server at `baseUrl` (ws://host:port). */
  url(baseUrl: string, documentId: string, token: string): string;
  /** Frames to send right after the socket opens, before the sync handshake. */
  openingFrames(documentId: string, token: string): Uint8Array[];
  /** Whether the client must wait for an "authenticated" answer before starting to sync. */
  readonly needsAuthAck: boolean;
  /** Whether a server answers step 1 (a relay does not, so a client counts as synced on open). */
  readonly serverAnswersSync: boolean;
  wrap(documentId: string, message: Uint8Array): Uint8Array;
  /** The answer to a server ping, for dialects that ping. */
  pong(documentId: string): Uint8Array | null;
  unwrap(frame: Uint8Array): InboundMessage | { kind: 'authenticated' } | { kind: 'denied'; reason: string } | { kind: 'ping' };
}

const PLAIN_SYNC_TYPES: ReadonlySet<number> = new Set([MessageType.sync]);

/** The plain y-websocket protocol: Quire and the y-websocket reference server. */
export const yWebsocketAdapter: WireAdapter = {
  dialect: 'y-websocket',
  url: (baseUrl, documentId, token) => `${baseUrl}/${encodeURIComponent(documentId)}?token=${encodeURIComponent(token)}`,
  openingFrames: () => [],
  needsAuthAck: false,
  serverAnswersSync: true,
  wrap: (_documentId, message) => message,
  pong: () => null,
  unwrap: (frame) => decodeMessage(decoding.createDecoder(frame), PLAIN_SYNC_TYPES),
};

/** The relay floor speaks plain frames but answers nothing. */
export const relayAdapter: WireAdapter = { ...yWebsocketAdapter, dialect: 'relay', serverAnswersSync: false };

// Hocuspocus message types beyond the y-websocket ones (from @hocuspocus/server types.ts).
const HOCUSPOCUS_SYNC_REPLY = 4;
const HOCUSPOCUS_PING = 9;
const HOCUSPOCUS_PONG = 10;
const HOCUSPOCUS_AUTH_TOKEN = 0;
const HOCUSPOCUS_AUTH_DENIED = 1;
const HOCUSPOCUS_AUTH_OK = 2;
const HOCUSPOCUS_SYNC_TYPES: ReadonlySet<number> = new Set([MessageType.sync, HOCUSPOCUS_SYNC_REPLY]);

/** Hocuspocus 4: every message starts with the document name; a token message opens each document. */
export const hocuspocusAdapter: WireAdapter = {
  dialect: 'hocuspocus',
  // Hocuspocus multiplexes documents over one socket, so the path carries nothing.
  url: (baseUrl) => baseUrl,
  openingFrames: (documentId, token) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, documentId);
    encoding.writeVarUint(encoder, MessageType.auth);
    encoding.writeVarUint(encoder, HOCUSPOCUS_AUTH_TOKEN);
    encoding.writeVarString(encoder, token);
    return [encoding.toUint8Array(encoder)];
  },
  needsAuthAck: true,
  serverAnswersSync: true,
  wrap: (documentId, message) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, documentId);
    encoding.writeUint8Array(encoder, message);
    return encoding.toUint8Array(encoder);
  },
  pong: (documentId) => hocuspocusPong(documentId),
  unwrap: (frame) => {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarString(decoder);
    const type = decoding.peekVarUint(decoder);
    if (type === MessageType.auth) {
      decoding.readVarUint(decoder);
      const subType = decoding.readVarUint(decoder);
      if (subType === HOCUSPOCUS_AUTH_OK) return { kind: 'authenticated' };
      if (subType === HOCUSPOCUS_AUTH_DENIED) return { kind: 'denied', reason: decoding.readVarString(decoder) };
      return { kind: 'other', type };
    }
    if (type === HOCUSPOCUS_PING) return { kind: 'ping' };
    return decodeMessage(decoder, HOCUSPOCUS_SYNC_TYPES);
  },
};

/** The Hocuspocus answer to a ping, so long scenarios are not closed as idle. */
function hocuspocusPong(documentId: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentId);
  encoding.writeVarUint(encoder, HOCUSPOCUS_PONG);
  return encoding.toUint8Array(encoder);
}

/** The adapter for a dialect. */
export function adapterFor(dialect: WireDialect): WireAdapter {
  if (dialect === 'hocuspocus') return hocuspocusAdapter;
  if (dialect === 'relay') return relayAdapter;
  return yWebsocketAdapter;
}
