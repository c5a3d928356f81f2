/** The owner and everyone with a grant; an owner changes each role or removes the person, others read. */
import { useId } from 'react';
import { DOCUMENT_ROLES, type AccessGrant, type DocumentRole, type UserRef } from '../../../shared/dto.ts';
import { Avatar } from '../people/Avatar.tsx';
import { DOCUMENT_ROLE_LABELS } from './accessForm.ts';

interface PeopleWithAccessProps {
  owner: UserRef;
  grants: readonly AccessGrant[];
  /** Given to an owner: the grants become editable. */
  onRole?: (userId: string, role: DocumentRole) => void;
  onRemove?: (userId: string) => void;
  error?: string | null;
}

export function PeopleWithAccess({ owner, grants, onRole, onRemove, error }: PeopleWithAccessProps) {
  const headingId = useId();
  const errorId = useId();
  return (
    <section className="access-section">
      <h3 id={headingId}>People with access</h3>
      <ul className="access-list" aria-labelledby={headingId} aria-describedby={error ? errorId : undefined}>
        <li className="access-person" aria-label={`${owner.name} (owner)`}>
          <span className="access-name">{owner.name}</span>
          <span className="role-badge">{DOCUMENT_ROLE_LABELS.owner}</span>
        </li>
        {grants.map(({ user, role }) => (
          <li key={user.id} className="access-person" aria-label={user.name}>
            <Avatar person={user} small />
            <span className="access-name">
              {user.name}
              {user.email && <span className="muted small"> {user.email}</span>}
            </span>
            {onRole === undefined ? (
              <span className="role-badge">{DOCUMENT_ROLE_LABELS[role]}</span>
            ) : (
              <select
                className="input input-compact"
                aria-label={`Role of ${user.name}`}
                value={role}
                onChange={(event) => onRole(user.id, event.target.value as DocumentRole)}
              >
                {DOCUMENT_ROLES.map((option) => (
                  <option key={option} value={option}>
                    {DOCUMENT_ROLE_LABELS[option]}
                  </option>
                ))}
              </select>
            )}
            {onRemove !== undefined && (
              <button type="button" className="button button-quiet button-danger-text" aria-label={`Remove ${user.name}`} onClick={() => onRemove(user.id)}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
