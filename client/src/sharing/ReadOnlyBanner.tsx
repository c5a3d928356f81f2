/** Says why the editor does not take typing: this person may only view. */
import type { ReactNode } from 'react';
import { Link } from 'wouter';

/** `signInPath` is given to a visitor without an account; `children` is the unsent-text offer, if any. */
export function ReadOnlyBanner({ signInPath, children }: { signInPath: string | null; children?: ReactNode }) {
  return (
    <div className="read-only-banner" role="status" aria-label="Read-only">
      <p>You can view this document. Only editors can change it.</p>
      {signInPath !== null && (
        <Link to={signInPath} className="button button-primary">
          Sign in to edit or comment
        </Link>
      )}
      {children}
    </div>
  );
}
