/**
 * Owner of a document's Y.Doc, its copy in this browser (IndexedDB) and its WebsocketProvider:
 * creates them when the editor mounts, destroys them when it unmounts, and reduces what they
 * report to a connection state that tells the truth about saving.
 */
import { useEffect, useReducer, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode, TERMINAL_CLOSE_CODES } from '../../../shared/close-codes.ts';
import { SYNC_PATH } from '../../../shared/protocol.ts';
import { documentsApi } from '../api/endpoints.ts';
import { hasStatus } from '../api/problem.ts';
import { connectionReducer, initialConnectionState, type ConnectionState } from './connection.ts';
import { openLocalCopy, storedUnsent, storeUnsent } from './localCopies.ts';
import { SaveChannel } from './saveChannel.ts';

/** The live pair an editor binds to. */
export interface CollaborationSession {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
}

/** `ws(s)://host/sync` for the page's own origin; the session cookie authenticates the socket. */
export function syncServerUrl(location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${SYNC_PATH}`;
}

/** A refused upgrade reaches the browser as a bare 1006; ask REST at most this often why. */
const PROBE_INTERVAL_MS = 5_000;

/** Why a document that cannot be connected to is unreachable, if REST says it is for good. */
async function finalRefusal(documentId: string): Promise<number | null> {
  try {
    await documentsApi.get(documentId);
    return null;
  } catch (error) {
    if (hasStatus(error, 404)) return CloseCode.notFound;
    if (hasStatus(error, 401)) return CloseCode.unauthenticated;
    if (hasStatus(error, 403)) return CloseCode.forbidden;
    return null;
  }
}

/** Connects `userId` to `documentId` while mounted. `session` is null until the first effect ran. */
export function useCollaboration(
  documentId: string,
  userId: string,
): {
  session: CollaborationSession | null;
  connection: ConnectionState;
} {
  const [session, setSession] = useState<CollaborationSession | null>(null);
  const [connection, dispatch] = useReducer(connectionReducer, initialConnectionState);

  useEffect(() => {
    const ydoc = new Y.Doc();
    const { persistence, loaded } = openLocalCopy(userId, documentId, ydoc);
    const provider = new WebsocketProvider(syncServerUrl(), documentId, ydoc, {
      connect: false,
      // 4429 and 1001 are worth retrying; only the documented terminal codes stop the provider.
      shouldReconnect: (event) => !TERMINAL_CLOSE_CODES.has(event.code),
    });
    let stopped = false;

    // The counts behind the badge, also kept in localStorage so a reload knows what is unsent.
    let edits = storedUnsent(userId, documentId);
    let savedEdits = 0;
    dispatch({ type: 'restored', unsent: edits, at: Date.now() });
    const persistCount = () => storeUnsent(userId, documentId, edits - savedEdits);

    const channel = new SaveChannel(provider, {
      edits: () => edits,
      onSaved: (covered) => {
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
      void finalRefusal(documentId).then((code) => {
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
    setSession({ ydoc, provider });
    return () => {
      stopped = true;
      ydoc.off('update', onUpdate);
      channel.stop();
      provider.destroy();
      ydoc.destroy();
      setSession(null);
    };
  }, [documentId, userId]);

  return { session, connection };
}
