/** The frame around every signed-in page: brand, navigation, account, and the quick-open palette's shortcut. */
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { User } from '../../../shared/dto.ts';
import { QuickOpen } from '../search/QuickOpen.tsx';
import { AccountMenu } from './AccountMenu.tsx';
import { NavLink } from './NavLink.tsx';

/** Skip link and header with the brand; `header` follows the brand, the page below it. */
export function AppFrame({ header, children }: { header: ReactNode; children: ReactNode }) {
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            Q
          </span>
          Quire
        </Link>
        {header}
      </header>
      {children}
    </div>
  );
}

export function AppLayout({ user, children }: { user: User; children: ReactNode }) {
  return (
    <AppFrame
      header={
        <>
          <nav aria-label="Main" className="main-nav">
            <NavLink to="/">
              Documents
            </NavLink>
            <NavLink to="/activity">Activity</NavLink>
            <NavLink to="/trash">Trash</NavLink>
          </nav>
          <AccountMenu user={user} />
        </>
      }
    >
      {children}
      {/* Ctrl+Shift+P finds a document from any signed-in page: the list, an editor, history, activity, trash. */}
      <QuickOpen />
    </AppFrame>
  );
}
