/** A server with no accounts yet: whoever opens it first creates the administrator's account. */
import { AccountForm } from '../account/AccountForm.tsx';
import { AuthCard } from '../account/AuthCard.tsx';

export function FirstRunPage() {
  return (
    <AuthCard
      title="Create the admin account"
      intro={
        <p>
          This Quire server has no accounts yet. The account you create now administers it: you can invite others once
          you are in.
        </p>
      }
    >
      <AccountForm submitLabel="Create admin account" />
    </AuthCard>
  );
}
