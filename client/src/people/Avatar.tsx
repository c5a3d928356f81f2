/** A round badge with someone's initials in their colour; decorative unless given a label. */
import type { UserIdentity } from '../../../shared/dto.ts';
import { caretColor } from '../collab/presence.ts';
import { initials } from './identity.ts';

interface AvatarProps {
  person: UserIdentity;
  small?: boolean;
  /** The hover text; the avatar stays hidden from screen readers, which read the name beside it. */
  title?: string;
}

export function Avatar({ person, small, title }: AvatarProps) {
  return (
    <span
      className={small ? 'avatar avatar-small' : 'avatar'}
      style={{ backgroundColor: caretColor(person.color, person.id) }}
      title={title}
      aria-hidden="true"
    >
      {initials(person.name)}
    </span>
  );
}
