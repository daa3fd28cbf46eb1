import { useSessionStore } from './session-context';
import type { Me } from './session-store';

/** A member signed in: the console is for admins; say so, and let them leave. */
export function AdminRequiredPage({ user }: { user: Me }) {
  const store = useSessionStore();
  return (
    <main id="main" className="centered-card">
      <h1>Admin role required</h1>
      <p>
        You are signed in as {user.email}, who is not an admin. The console manages other people's accounts; your own account is at{' '}
        <a href="/account/security">your security page</a>.
      </p>
      <button type="button" onClick={() => void store.signOut()}>
        Sign out
      </button>
    </main>
  );
}
