/** `/signup` while registration is open: anyone may create an account. */
import { Link } from 'wouter';
import { AccountForm } from '../account/AccountForm.tsx';
import { AuthCard } from '../account/AuthCard.tsx';

export function SignUpPage() {
  return (
    <AuthCard title="Create your Quire account">
      <AccountForm submitLabel="Create account" />
      <p className="sign-in-footer">
        Already have an account? <Link to="/">Sign in</Link>
      </p>
    </AuthCard>
  );
}
