import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { DirectoryClient } from '@directory/client';
import type { SessionState, SessionStore } from './session-store';

const SessionContext = createContext<SessionStore | undefined>(undefined);

export function SessionProvider({ store, children }: { store: SessionStore; children: ReactNode }) {
  return <SessionContext.Provider value={store}>{children}</SessionContext.Provider>;
}

export function useSessionStore(): SessionStore {
  const store = useContext(SessionContext);
  if (!store) throw new Error('useSessionStore outside SessionProvider');
  return store;
}

export function useSession(): SessionState {
  const store = useSessionStore();
  return useSyncExternalStore(store.subscribe, store.getState);
}

/** The typed clients (auth, users, analytics) with the signed-in admin's token and refresh. */
export function useApi(): DirectoryClient {
  return useSessionStore().api;
}
