/** Choosing a display name: signs in, or renames the signed-in user. */
import { useId, useState, type FormEvent } from 'react';
import { rememberedName, useSignIn } from '../api/session.ts';
import { errorMessage } from '../api/problem.ts';

const MAX_NAME = 40;

interface SignInFormProps {
  initialName?: string;
  submitLabel: string;
  onDone?: () => void;
  onCancel?: () => void;
}

export function SignInForm({ initialName, submitLabel, onDone, onCancel }: SignInFormProps) {
  const [name, setName] = useState(() => initialName ?? rememberedName());
  const signIn = useSignIn();
  const inputId = useId();
  const hintId = useId();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return;
    signIn.mutate(name, { onSuccess: () => onDone?.() });
  };

  return (
    <form className="name-form" onSubmit={onSubmit}>
      <label htmlFor={inputId}>Display name</label>
      <input
        id={inputId}
        className="input"
        value={name}
        onChange={(event) => setName(event.target.value)}
        maxLength={MAX_NAME}
        autoComplete="nickname"
        aria-describedby={hintId}
        required
        autoFocus
      />
      <p id={hintId} className="muted small">
        Others see this name next to your cursor and in the activity feed.
      </p>
      {signIn.isError && (
        <p className="field-error" role="alert">
          {errorMessage(signIn.error)}
        </p>
      )}
      <div className="form-actions">
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={signIn.isPending || name.trim() === ''}>
          {signIn.isPending ? 'Signing in…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
