/**
 * A button whose action runs only once confirmed: the dialog stays open while the request runs,
 * shows why it failed, and closes when it succeeds or is cancelled.
 */
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/problem.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';

/** The part of a TanStack mutation the dialog follows. */
interface ConfirmableMutation {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  reset: () => void;
}

interface ConfirmMutationProps {
  /** The button that opens the dialog. */
  button: { label: string; className: string; ariaLabel?: string };
  title: string;
  confirmLabel: string;
  mutation: ConfirmableMutation;
  /** Starts the request; calls `done` once it succeeded. */
  run: (done: () => void) => void;
  /** What confirming will do, said plainly. */
  children: ReactNode;
}

export function ConfirmMutation({ button, title, confirmLabel, mutation, run, children }: ConfirmMutationProps) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button type="button" className={button.className} aria-label={button.ariaLabel} onClick={() => setConfirming(true)}>
        {button.label}
      </button>
      <ConfirmDialog
        open={confirming}
        title={title}
        confirmLabel={confirmLabel}
        busy={mutation.isPending}
        error={mutation.isError ? errorMessage(mutation.error) : null}
        onCancel={() => {
          setConfirming(false);
          mutation.reset();
        }}
        onConfirm={() => run(() => setConfirming(false))}
      >
        {children}
      </ConfirmDialog>
    </>
  );
}
