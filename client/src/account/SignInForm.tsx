/** Email and password. A wrong pair, a throttled client and a lost network are said above the button. */
import { useRef, useState, type FormEvent } from 'react';
import { formErrors } from '../api/problem.ts';
import { rememberedEmail, useSignIn } from '../api/session.ts';
import { FormError, FormField, focusFirstInvalid } from '../components/FormField.tsx';
import { emailProblem } from './validation.ts';

type Field = 'email' | 'password';
const FIELDS: readonly Field[] = ['email', 'password'];

export function SignInForm() {
  const [email, setEmail] = useState(rememberedEmail);
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState<Partial<Record<Field, string>>>({});
  const signIn = useSignIn();
  const form = useRef<HTMLFormElement>(null);
  const failed = formErrors(signIn.error, FIELDS);
  const errors = { ...failed.fields, ...checked };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    const emailIssue = emailProblem(email);
    if (emailIssue) problems.email = emailIssue;
    if (password === '') problems.password = 'Enter your password.';
    setChecked(problems);
    signIn.reset();
    if (Object.keys(problems).length > 0) return focusFirstInvalid(form.current);
    signIn.mutate({ email, password }, { onError: () => focusFirstInvalid(form.current) });
  };

  return (
    <form ref={form} className="stacked-form" onSubmit={onSubmit} noValidate aria-label="Sign in">
      <FormField
        label="Email"
        type="email"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        autoComplete="username"
        error={errors.email}
        autoFocus={email === ''}
        required
      />
      <FormField
        label="Password"
        type="password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        autoComplete="current-password"
        error={errors.password}
        autoFocus={email !== ''}
        required
      />
      <FormError message={failed.form} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}
