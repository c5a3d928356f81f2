/** A navigation link that says when it is the page on screen (class `active`, `aria-current="page"`). */
import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';

export function NavLink({ to, className, children }: { to: string; className?: string; children: ReactNode }) {
  const [pathname] = useLocation();
  // Quire's navigation targets have no pages below them, so only their own address is theirs.
  const current = pathname.replace(/\/+$/, '') === to.replace(/\/+$/, '');
  return (
    <Link to={to} className={current ? `${className ?? ''} active`.trim() : className} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}
