/** Every account, with role and status; an admin promotes, demotes, disables and enables, after confirming. */
import { useId, useState } from 'react';
import type { Role, User, UserSummary } from '../../../shared/dto.ts';
import { errorMessage } from '../api/problem.ts';
import { usePeople, useUpdateUser } from '../api/users.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { useDebouncedValue } from '../components/hooks.ts';
import { Avatar } from '../people/Avatar.tsx';
import { ROLE_LABELS } from './InviteForm.tsx';

/** A change an admin asked for, waiting for confirmation. */
type Change = { person: UserSummary; role: Role } | { person: UserSummary; disabled: boolean };

/** How the admin page names someone: with their email, since names are not unique. */
function nameWithEmail(person: UserSummary): string {
  return person.email ? `${person.name} (${person.email})` : person.name;
}

function describe(change: Change): { title: string; confirm: string; body: string } {
  const who = nameWithEmail(change.person);
  if ('role' in change) {
    return change.role === 'admin'
      ? { title: 'Make administrator?', confirm: 'Make administrator', body: `${who} will be able to invite people and manage every account and document.` }
      : { title: 'Make member?', confirm: 'Make member', body: `${who} will no longer be able to invite people or manage accounts.` };
  }
  return change.disabled
    ? { title: 'Disable account?', confirm: 'Disable', body: `${who} will be signed out everywhere at once and cannot sign in until enabled again.` }
    : { title: 'Enable account?', confirm: 'Enable', body: `${who} will be able to sign in again.` };
}

function PersonRow({ person, self, onChange }: { person: UserSummary; self: boolean; onChange: (change: Change) => void }) {
  const role = person.role ?? 'member';
  // Buttons name whom they act on: a screen reader reaching one does not hear the row first.
  const who = nameWithEmail(person);
  const roleAction = role === 'admin' ? 'Make member' : 'Make admin';
  const statusAction = person.disabled ? 'Enable' : 'Disable';
  return (
    <tr data-disabled={person.disabled || undefined}>
      <td>
        <span className="person">
          <Avatar person={person} small />
          <span>
            {person.name}
            {self && <span className="muted"> (you)</span>}
          </span>
        </span>
      </td>
      <td className="person-email">{person.email ?? '—'}</td>
      <td>{ROLE_LABELS[role]}</td>
      <td>{person.disabled ? 'Disabled' : 'Active'}</td>
      <td className="person-actions">
        <button
          type="button"
          className="button button-quiet"
          aria-label={`${roleAction}: ${who}`}
          onClick={() => onChange({ person, role: role === 'admin' ? 'member' : 'admin' })}
        >
          {roleAction}
        </button>
        <button
          type="button"
          className={person.disabled ? 'button button-quiet' : 'button button-quiet button-danger-text'}
          aria-label={`${statusAction}: ${who}`}
          onClick={() => onChange({ person, disabled: !person.disabled })}
        >
          {statusAction}
        </button>
      </td>
    </tr>
  );
}

export function PeopleTable({ user }: { user: User }) {
  const [filter, setFilter] = useState('');
  const query = useDebouncedValue(filter.trim(), 250);
  const people = usePeople(query);
  const update = useUpdateUser();
  const [pending, setPending] = useState<Change | null>(null);
  const filterId = useId();
  const captionId = useId();
  const words = pending ? describe(pending) : null;

  const close = () => {
    setPending(null);
    update.reset();
  };

  return (
    <>
      <div className="filter">
        <label htmlFor={filterId}>Find people</label>
        <input id={filterId} className="input" type="search" value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="Name or email" />
      </div>
      {people.isPending && <p className="muted" aria-busy="true">Loading people…</p>}
      {people.isError && (
        <div className="error-state" role="alert">
          <p>People could not be loaded. {errorMessage(people.error)}</p>
          <button type="button" className="button" onClick={() => void people.refetch()}>
            Try again
          </button>
        </div>
      )}
      {people.data && people.data.length === 0 && <p className="muted">Nobody matches “{query}”.</p>}
      {people.data && people.data.length > 0 && (
        <div className="table-scroll">
          <table className="people-table" aria-labelledby={captionId}>
            <caption id={captionId} className="visually-hidden">
              People
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {people.data.map((person) => (
                <PersonRow key={person.id} person={person} self={person.id === user.id} onChange={setPending} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={words?.title ?? ''}
        confirmLabel={words?.confirm ?? ''}
        busy={update.isPending}
        error={update.isError ? errorMessage(update.error) : null}
        onCancel={close}
        onConfirm={() => {
          if (pending === null) return;
          const { person, ...changes } = pending;
          update.mutate({ id: person.id, ...changes }, { onSuccess: close });
        }}
      >
        <p>{words?.body}</p>
      </ConfirmDialog>
    </>
  );
}
