/** The avatar strip of who is in the document; two people with one name are told apart by email. */
import { useMemo } from 'react';
import type { WebsocketProvider } from 'y-websocket';

import { Avatar } from '../people/Avatar.tsx';
import { useDistinctNames } from '../people/useDistinctNames.ts';
import { usePresence } from './usePresence.ts';

/** `self` is the signed-in account; null for a link's visitor without one (who is not listed). */
export function PresenceAvatars({ provider, self }: { provider: WebsocketProvider; self: { id: string; email: string } | null }) {
  const users = usePresence(provider);
  const people = useMemo(
    () => users.map((user) => (self !== null && user.id === self.id ? { ...user, email: self.email } : user)),
    [users, self],
  );
  const nameOf = useDistinctNames(people);
  return (
    <ul className="avatars" aria-label="People here">
      {users.map((user) => {
        const name = user.self ? `${nameOf(user)} (you)` : nameOf(user);
        return (
          <li key={user.id} className="avatar-item" title={name} aria-label={name}>
            <Avatar person={user} />
          </li>
        );
      })}
    </ul>
  );
}
