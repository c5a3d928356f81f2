/**
 * Owner of a document's Y.Doc and WebsocketProvider: creates them when the editor mounts,
 * destroys them when it unmounts, and reduces the provider's events to a connection state.
 */
import { useEffect, useReducer, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { TERMINAL_CLOSE_CODES } from '../../../shared/close-codes.ts';
import { SYNC_PATH } from '../../../shared/protocol.ts';
import { connectionReducer, initialConnectionState, type ConnectionState } from './connection.ts';

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

/** Connects to `documentId` while mounted. `session` is null until the first effect ran. */
export function useCollaboration(documentId: string): {
  session: CollaborationSession | null;
  connection: ConnectionState;
} {
  const [session, setSession] = useState<CollaborationSession | null>(null);
  const [connection, dispatch] = useReducer(connectionReducer, initialConnectionState);

  useEffect(() => {
    const ydoc = new Y.Doc();
    const provider = new WebsocketProvider(syncServerUrl(), documentId, ydoc, {
      connect: false,
      // 4429 and 1001 are worth retrying; only the documented terminal codes stop the provider.
      shouldReconnect: (event) => !TERMINAL_CLOSE_CODES.has(event.code),
    });
    provider.on('status', ({ status }) => dispatch({ type: 'status', status }));
    provider.on('sync', (synced) => dispatch({ type: 'sync', synced }));
    provider.on('connection-close', (event) => {
      if (event !== null) dispatch({ type: 'close', code: event.code });
    });
    provider.on('closed', ({ code }) => {
      dispatch({ type: 'closed', code });
      provider.disconnect();
    });
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== provider) dispatch({ type: 'local-change' });
    };
    ydoc.on('update', onUpdate);
    provider.connect();
    setSession({ ydoc, provider });
    return () => {
      ydoc.off('update', onUpdate);
      provider.destroy();
      ydoc.destroy();
      setSession(null);
    };
  }, [documentId]);

  return { session, connection };
}
