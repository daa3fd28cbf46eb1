import { useQueryClient } from '@tanstack/react-query';
import { NavLink, Outlet } from 'react-router';
import { useSessionStore } from '../session/session-context';
import type { Me } from '../session/session-store';
import './console-layout.css';

export function ConsoleLayout({ user }: { user: Me }) {
  const store = useSessionStore();
  const queryClient = useQueryClient();
  const signOut = () => {
    queryClient.clear();
    void store.signOut();
  };
  return (
    <div className="console">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="console-header">
        <span className="console-brand">Directory console</span>
        <nav aria-label="Sections">
          <NavLink to="/people">People</NavLink>
          <NavLink to="/analytics">Analytics</NavLink>
        </nav>
        <div className="console-user">
          <span>
            Signed in as <strong>{user.fullName}</strong>
          </span>
          <button type="button" className="button-quiet" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
