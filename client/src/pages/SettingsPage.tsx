/** `/settings`: the signed-in user's profile and password. */
import { useId } from 'react';
import type { User } from '../../../shared/dto.ts';
import { PasswordForm } from '../account/PasswordForm.tsx';
import { ProfileForm } from '../account/ProfileForm.tsx';
import { usePageTitle } from '../components/hooks.ts';

export function SettingsPage({ user }: { user: User }) {
  usePageTitle('Settings');
  const profileId = useId();
  const passwordId = useId();
  return (
    <main className="page settings-page" id="main">
      <h1>Settings</h1>
      <p className="muted">
        Signed in as {user.email}
        {user.role === 'admin' ? ', administrator' : ''}.
      </p>
      <section className="card settings-section" aria-labelledby={profileId}>
        <h2 id={profileId}>Profile</h2>
        <ProfileForm user={user} />
      </section>
      <section className="card settings-section" aria-labelledby={passwordId}>
        <h2 id={passwordId}>Password</h2>
        <PasswordForm />
      </section>
    </main>
  );
}
