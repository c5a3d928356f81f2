/** A labelled input with its hint and, when the last attempt failed on it, what went wrong beside it. */
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

interface FormFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  /** What is wrong with the value, from the server's problem `fields` or a check before sending. */
  error?: string | null | undefined;
  hint?: ReactNode;
}

export function FormField({ label, error, hint, className, ...input }: FormFieldProps) {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        className={className ?? 'input'}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="muted small field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A failure that belongs to no single field (a wrong password, an unreachable server), above the buttons. */
export function FormError({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <p className="field-error form-error" role="alert">
      {message}
    </p>
  );
}

/** Moves focus to the first field a failed submission marked invalid, so a keyboard user lands on it. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
