/** Shown to signed-out visitors on any route; the route stays, so shared links still work. */
import { SignInForm } from '../components/SignInForm.tsx';

export function SignInPage() {
  return (
    <main className="sign-in" id="main">
      <div className="card sign-in-card">
        <h1>
          <span className="brand-mark" aria-hidden="true">
            Q
          </span>{' '}
          Welcome to Quire
        </h1>
        <p>Write together, in real time. Choose a name to get started.</p>
        <SignInForm submitLabel="Continue" />
      </div>
    </main>
  );
}
