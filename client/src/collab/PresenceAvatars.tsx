/** The avatar strip of who is in the document. */
import type { WebsocketProvider } from 'y-websocket';
import { initials } from './presence.ts';
import { usePresence } from './usePresence.ts';

export function PresenceAvatars({ provider }: { provider: WebsocketProvider }) {
  const users = usePresence(provider);
  return (
    <ul className="avatars" aria-label="People here">
      {users.map((user) => {
        const name = user.self ? `${user.name} (you)` : user.name;
        return (
          <li key={user.id} className="avatar" style={{ backgroundColor: user.color }} title={name} aria-label={name}>
            <span aria-hidden="true">{initials(user.name)}</span>
          </li>
        );
      })}
    </ul>
  );
}
