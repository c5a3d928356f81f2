/**
 * Owner of a document's Y.Doc, its copy in this browser (IndexedDB) and its WebsocketProvider:
 * creates them when the editor mounts, destroys them when it unmounts, and reduces what they
 * report to a connection state that tells the truth about saving, and to the role the server
 * gives the connection.
 */
import { useEffect, useReducer, useRef, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode, TERMINAL_CLOSE_CODES } from '../../../shared/close-codes.ts';
import { SHARE_PARAM, type DocumentRole } from '../../../shared/dto.ts';
import { ROLE_UPDATES_PARAM, SYNC_PATH } from '../../../shared/protocol.ts';
import { documentsApi } from '../api/endpoints.ts';
import { forgetDocument } from '../api/offlineCache.ts';
import { hasStatus } from '../api/problem.ts';
import { connectionReducer, initialConnectionState, type ConnectionState } from './connection.ts';
import { discardLocalCopy, openLocalCopy, storedUnsent, storeUnsent } from './localCopies.ts';
import { RestoreUndo } from './restoreUndo.ts';
import { listenForRoles } from './roleMessages.ts';
import { SaveChannel } from './saveChannel.ts';

/** The live pair an editor binds to, and the undo history that outlives any one editor. */
export interface CollaborationSession {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  undo: RestoreUndo;
}

/** `ws(s)://host/sync` for the page's own origin; the session cookie authenticates the socket. */
export function syncServerUrl(location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${SYNC_PATH}`;
}

/** A refused upgrade reaches the browser as a bare 1006; ask REST at most this often why. */
const PROBE_INTERVAL_MS = 5_000;

/** Why a document that cannot be connected to is unreachable, if REST says it is for good. */
async function finalRefusal(documentId: string, share: string | null): Promise<number | null> {
  try {
    await documentsApi.get(documentId, share);
    return null;
  } catch (error) {
    if (hasStatus(error, 404)) return CloseCode.notFound;
    if (hasStatus(error, 401)) return CloseCode.unauthenticated;
    if (hasStatus(error, 403)) return CloseCode.forbidden;
    return null;
  }
}

/** The query of the sync socket: role messages, and the secret link the document came through. */
export function syncParams(share: string | null): Record<string, string> {
  return share === null ? { [ROLE_UPDATES_PARAM]: '1' } : { [ROLE_UPDATES_PARAM]: '1', [SHARE_PARAM]: share };
}

/** Who connects: an account (whose copy this browser keeps), or a link's visitor without one (`userId` null). */
export interface CollaborationOptions {
  userId: string | null;
  /** The secret link token the document was opened with, if any. */
  share: string | null;
  /** The role the document's details gave, until the server tells the connection otherwise. */
  initialRole: DocumentRole;
}

/** Connects to `documentId` while mounted. `session` is null until the first effect ran. */
export function useCollaboration(
  documentId: string,
  { userId, share, initialRole }: CollaborationOptions,
): {
  session: CollaborationSession | null;
  connection: ConnectionState;
  /** The role the server gave this connection; null until it said. */
  role: DocumentRole | null;
} {
  const [session, setSession] = useState<CollaborationSession | null>(null);
  const [connection, dispatch] = useReducer(connectionReducer, initialConnectionState);
  const [role, setRole] = useState<DocumentRole | null>(null);
  const initialRoleRef = useRef(initialRole);
  initialRoleRef.current = initialRole;

  useEffect(() => {
    const ydoc = new Y.Doc();
    // A visitor without an account can only read: nothing of theirs needs keeping.
    const { persistence, loaded } =
      userId === null ? { persistence: null, loaded: Promise.resolve() } : openLocalCopy(userId, documentId, ydoc);
    const provider = new WebsocketProvider(syncServerUrl(), documentId, ydoc, {
      connect: false,
      params: syncParams(share),
      // 4429 and 1001 are worth retrying; only the documented terminal codes stop the provider.
      shouldReconnect: (event) => !TERMINAL_CLOSE_CODES.has(event.code),
    });
    const undo = new RestoreUndo(ydoc, provider);
    let stopped = false;

    // The counts behind the badge, also kept in localStorage so a reload knows what is unsent.
    let edits = userId === null ? 0 : storedUnsent(userId, documentId);
    let savedEdits = 0;
    dispatch({ type: 'restored', unsent: edits, at: Date.now() });
    const persistCount = () => {
      if (userId !== null) storeUnsent(userId, documentId, edits - savedEdits);
    };

    let toldRole: DocumentRole | null = null;
    const readOnly = () => (toldRole ?? initialRoleRef.current) === 'viewer';
    listenForRoles(provider, (next) => {
      const promoted = readOnly() && next !== 'viewer';
      toldRole = next;
      setRole(next);
      // Edits the server discarded while this connection was read-only are in this document but
      // not on the server; a new sync sends them now that they are accepted.
      if (promoted && edits > savedEdits && provider.wsconnected) {
        provider.disconnect();
        provider.connect();
      }
    });

    const channel = new SaveChannel(provider, {
      edits: () => edits,
      onSaved: (covered) => {
        // A read-only connection's updates are discarded, not stored: its marks vouch for the
        // sync, never for edits.
        if (readOnly()) return dispatch({ type: 'saved', edits: savedEdits });
        const next = Math.max(savedEdits, Math.min(covered, edits));
        if (next !== savedEdits) {
          savedEdits = next;
          persistCount();
        }
        dispatch({ type: 'saved', edits: covered });
      },
      onNetwork: (online) => dispatch({ type: 'network', online }),
    });

    const stopFor = (code: number) => {
      dispatch({ type: 'closed', code });
      provider.disconnect();
      // A reader who lost access keeps nothing of the document here, unless it holds edits the
      // server never got: the unsent-text offer hands those back first.
      if (code === CloseCode.forbidden && userId !== null && edits <= savedEdits) {
        forgetDocument(userId, documentId);
        void (persistence?.destroy() ?? Promise.resolve()).then(() => discardLocalCopy(userId, documentId));
      }
    };
    let opened = false;
    let lastProbe = 0;
    provider.on('status', ({ status }) => {
      if (status !== 'disconnected') opened = status === 'connected';
      dispatch({ type: 'status', status });
    });
    provider.on('sync', (synced) => dispatch({ type: 'sync', synced }));
    provider.on('connection-close', (event) => {
      dispatch({ type: 'close', code: event?.code ?? null });
      // An upgrade refused with 404/403/401 never opens: find out whether that is final.
      if (event === null || opened || Date.now() - lastProbe < PROBE_INTERVAL_MS) return;
      lastProbe = Date.now();
      void finalRefusal(documentId, share).then((code) => {
        if (code !== null && !stopped) stopFor(code);
      });
    });
    provider.on('closed', ({ code }) => stopFor(code));

    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      // Remote changes and what the local copy restored are not this session's edits.
      if (origin === provider || (persistence !== null && origin === persistence)) return;
      edits += 1;
      persistCount();
      dispatch({ type: 'local-change', at: Date.now() });
      channel.noteEdit();
    };
    ydoc.on('update', onUpdate);
    channel.start();
    // Connect once the local copy is in the document, so the first sync sends what it holds.
    void loaded.then(() => {
      if (!stopped) provider.connect();
    });
    setSession({ ydoc, provider, undo });
    return () => {
      stopped = true;
      ydoc.off('update', onUpdate);
      channel.stop();
      undo.end();
      provider.destroy();
      ydoc.destroy();
      setSession(null);
      setRole(null);
    };
  }, [documentId, userId, share]);

  return { session, connection, role };
}
