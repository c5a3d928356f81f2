/** An admin makes an invite link, for anyone or for one address, and copies it to send. */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { InviteCreated, Role } from '../../../shared/dto.ts';
import { emailProblem } from '../account/validation.ts';
import { formErrors } from '../api/problem.ts';
import { useCreateInvite } from '../api/users.ts';
import { CopyField } from '../components/CopyField.tsx';
import { FormError, FormField, focusFirstInvalid } from '../components/FormField.tsx';
import { absoluteTime } from '../time/relative.ts';

type Field = 'email' | 'role';
const FIELDS: readonly Field[] = ['email', 'role'];

/** How each role reads in the form and the people list. */
export const ROLE_LABELS: Record<Role, string> = { admin: 'Administrator', member: 'Member' };
/** The weaker role first: it is the usual choice. */
const ROLE_CHOICES: readonly Role[] = ['member', 'admin'];

function CreatedInvite({ invite }: { invite: InviteCreated }) {
  // The server may answer with a path; a link to send must be absolute.
  const url = new URL(invite.url, window.location.origin).href;
  return (
    <div className="invite-result">
      <CopyField label="Invite link" value={url} note={`Single use; expires ${absoluteTime(invite.expiresAt)}.`} />
    </div>
  );
}

export function InviteForm() {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [checked, setChecked] = useState<string | null>(null);
  const create = useCreateInvite();
  const form = useRef<HTMLFormElement>(null);
  const roleId = useId();
  const failed = formErrors(create.error, FIELDS);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problem = email.trim() === '' ? null : emailProblem(email);
    setChecked(problem);
    create.reset();
    if (problem) return focusFirstInvalid(form.current);
    create.mutate({ email, role }, { onError: () => focusFirstInvalid(form.current) });
  };

  return (
    <>
      <form ref={form} className="stacked-form" onSubmit={onSubmit} noValidate aria-label="Invite someone">
        <FormField
          label="Email (optional)"
          type="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          autoComplete="off"
          hint="With an address, only that person can use the link."
          error={checked ?? failed.fields.email}
        />
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <select id={roleId} className="input" value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLE_CHOICES.map((option) => (
              <option key={option} value={option}>
                {ROLE_LABELS[option]}
              </option>
            ))}
          </select>
          {failed.fields.role && <p className="field-error">{failed.fields.role}</p>}
        </div>
        <FormError message={failed.form} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create invite link'}
          </button>
        </div>
      </form>
      {create.data && <CreatedInvite key={create.data.code} invite={create.data} />}
    </>
  );
}
