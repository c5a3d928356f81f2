/** What a page shows while something it needs is loading, or after loading failed. */
import type { ReactNode } from 'react';
import { errorMessage } from '../api/problem.ts';

/** "`what` could not be loaded", why, and a way to try again. */
export function LoadFailure({ what, error, onRetry, children }: { what: string; error: unknown; onRetry: () => void; children?: ReactNode }) {
  return (
    <div className="error-state" role="alert">
      <p>
        {what} {errorMessage(error)}
      </p>
      {children ?? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A quiet placeholder that says what is on its way. */
export function Loading({ children }: { children: ReactNode }) {
  return (
    <p className="muted" aria-busy="true">
      {children}
    </p>
  );
}
