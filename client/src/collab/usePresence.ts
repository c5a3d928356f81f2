/** The people in a document, following the provider's awareness. */
import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import { presentUsers, type PresentUser } from './presence.ts';

function sameUsers(a: readonly PresentUser[], b: readonly PresentUser[]): boolean {
  return (
    a.length === b.length &&
    a.every((user, index) => {
      const other = b[index];
      return other !== undefined && other.id === user.id && other.name === user.name && other.color === user.color;
    })
  );
}

/** Everyone present, the local user first; stable between renders while nobody changes. */
export function usePresence(provider: WebsocketProvider): PresentUser[] {
  const cache = useRef<PresentUser[]>([]);
  const subscribe = useCallback(
    (notify: () => void) => {
      provider.awareness.on('change', notify);
      return () => provider.awareness.off('change', notify);
    },
    [provider],
  );
  const getSnapshot = useCallback(() => {
    const next = presentUsers(provider.awareness.getStates(), provider.awareness.clientID);
    if (!sameUsers(cache.current, next)) cache.current = next;
    return cache.current;
  }, [provider]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
