/** The frame of every signed-out screen: the brand, a heading and a card. */
import { useId, type ReactNode } from 'react';
import { usePageTitle } from '../components/hooks.ts';

export function AuthCard({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  usePageTitle(title);
  const headingId = useId();
  return (
    <main className="sign-in" id="main">
      <section className="card sign-in-card" aria-labelledby={headingId}>
        <p className="brand sign-in-brand">
          <span className="brand-mark" aria-hidden="true">
            Q
          </span>
          Quire
        </p>
        <h1 id={headingId}>{title}</h1>
        {intro && <div className="sign-in-intro">{intro}</div>}
        {children}
      </section>
    </main>
  );
}
