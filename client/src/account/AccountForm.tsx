/** A new account: name, email and password. Used for the first (admin) account, sign-up and invites. */
import { useRef, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { formErrors } from '../api/problem.ts';
import { useCreateAccount } from '../api/session.ts';
import { FormError, FormField, focusFirstInvalid } from '../components/FormField.tsx';
import { MAX_NAME_LENGTH, MIN_PASSWORD_LENGTH, accountProblems, type AccountField } from './validation.ts';

const FIELDS: readonly AccountField[] = ['name', 'email', 'password'];

interface AccountFormProps {
  submitLabel: string;
  /** The code of the invite link being accepted. */
  invite?: string;
  /** The address an invite was made out to: shown, and not editable. */
  fixedEmail?: string | null;
}

export function AccountForm({ submitLabel, invite, fixedEmail }: AccountFormProps) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState(fixedEmail ?? '');
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState<Partial<Record<AccountField, string>>>({});
  const create = useCreateAccount();
  const [, navigate] = useLocation();
  const form = useRef<HTMLFormElement>(null);
  const failed = formErrors(create.error, FIELDS, { 409: 'email' });
  const errors = { ...failed.fields, ...checked };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems = accountProblems({ name, email, password });
    setChecked(problems);
    create.reset();
    if (Object.keys(problems).length > 0) return focusFirstInvalid(form.current);
    create.mutate(
      { name, email, password, ...(invite === undefined ? {} : { invite }) },
      {
        // A new account starts at its documents, whatever page (an invite, sign-up) made it.
        onSuccess: () => navigate('/', { replace: true }),
        onError: () => focusFirstInvalid(form.current),
      },
    );
  };

  return (
    <form ref={form} className="stacked-form" onSubmit={onSubmit} noValidate>
      <FormField
        label="Name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        maxLength={MAX_NAME_LENGTH}
        autoComplete="name"
        hint="Others see this name next to your cursor and in the activity feed."
        error={errors.name}
        autoFocus
        required
      />
      <FormField
        label="Email"
        type="email"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        readOnly={fixedEmail ? true : undefined}
        autoComplete="username"
        hint={fixedEmail ? 'The invitation was made out to this address.' : 'You sign in with it.'}
        error={errors.email}
        required
      />
      <FormField
        label="Password"
        type="password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        error={errors.password}
        required
      />
      <FormError message={failed.form} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating account…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
