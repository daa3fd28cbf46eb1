import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSessionStore } from '../session/session-context';
import type { Me } from '../session/session-store';
import './console-layout.css';

/** "People · Directory console": every page names itself in the tab and history. */
export const pageTitle = (page: string): string => `${page} · Directory console`;

/** Sets document.title while the page is shown (undefined: leaves it) and restores the previous one after. */
export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    if (title === undefined) return undefined;
    const previous = document.title;
    document.title = title;
    return () => {
      document.title = previous;
    };
  }, [title]);
}

export function ConsoleLayout({ user }: { user: Me }) {
  const store = useSessionStore();
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  // A new page (not a new filter: the search part changes while typing) starts reading at <main>,
  // as a page load would; the first page is left to the browser. A ref, not a flag, so StrictMode's
  // second effect run changes nothing.
  const shownPath = useRef(pathname);
  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [pathname]);
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
      <main id="main" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
    </div>
  );
}
