/** Changing one's password; every other session of the account ends. */
import { useRef, useState, type FormEvent } from 'react';
import { formErrors } from '../api/problem.ts';
import { useChangePassword } from '../api/users.ts';
import { FormError, FormField, focusFirstInvalid } from '../components/FormField.tsx';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './validation.ts';

type Field = 'current' | 'next';
const FIELDS: readonly Field[] = ['current', 'next'];

export function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [checked, setChecked] = useState<Partial<Record<Field, string>>>({});
  const change = useChangePassword();
  const form = useRef<HTMLFormElement>(null);
  // A wrong current password is a 403 that names no field.
  const failed = formErrors(change.error, FIELDS, { 403: 'current' });
  const errors = { ...failed.fields, ...checked };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    if (current === '') problems.current = 'Enter your current password.';
    const nextIssue = passwordProblem(next);
    if (nextIssue) problems.next = nextIssue;
    setChecked(problems);
    change.reset();
    if (Object.keys(problems).length > 0) return focusFirstInvalid(form.current);
    change.mutate(
      { current, next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
        },
        onError: () => focusFirstInvalid(form.current),
      },
    );
  };

  return (
    <form ref={form} className="stacked-form" onSubmit={onSubmit} noValidate aria-label="Password">
      <FormField
        label="Current password"
        type="password"
        value={current}
        onChange={(event) => setCurrent(event.target.value)}
        autoComplete="current-password"
        error={errors.current}
        required
      />
      <FormField
        label="New password"
        type="password"
        value={next}
        onChange={(event) => setNext(event.target.value)}
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. Your other sessions will be signed out.`}
        error={errors.next}
        required
      />
      <FormError message={failed.form} />
      <div className="form-actions">
        {change.isSuccess && (
          <p className="form-status" role="status">
            Password changed. You were signed out everywhere else.
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={change.isPending}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
