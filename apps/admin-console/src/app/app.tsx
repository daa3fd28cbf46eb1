import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api/api-error';
import { ConsoleLayout } from './layout/console-layout';
import { NotFoundPage } from './layout/not-found-page';
import { PeoplePage } from './people/people-page';
import { AdminRequiredPage } from './session/admin-required-page';
import { SessionProvider, useSession } from './session/session-context';
import type { SessionStore } from './session/session-store';
import { SignInPage } from './session/sign-in-page';

// The first load is the sign-in page and the people list; a person's page and the charts come
// as their own chunks when first opened.
const PersonPage = lazy(() => import('./person/person-page').then((module) => ({ default: module.PersonPage })));
const AnalyticsPage = lazy(() => import('./analytics/analytics-page').then((module) => ({ default: module.AnalyticsPage })));

/** The gateway serves the console under /console/ (vite.config.mts `base`). */
export const CONSOLE_BASE = '/console';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        // A 4xx will not change by asking again; a 5xx or a dropped connection may.
        retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}

/** Signed out → sign-in; a member → "admin role required"; an admin → the console. */
function Gate() {
  const session = useSession();
  if (session.kind === 'signed-out') return <SignInPage notice={session.notice} />;
  if (!session.isAdmin) return <AdminRequiredPage user={session.user} />;
  return (
    <Routes>
      <Route element={<ConsoleLayout user={session.user} />}>
        <Route index element={<Navigate to="/people" replace />} />
        <Route path="people" element={<PeoplePage />} />
        <Route
          path="people/:id"
          element={
            <Suspense fallback={<p>Loading…</p>}>
              <PersonPage />
            </Suspense>
          }
        />
        <Route
          path="analytics"
          element={
            <Suspense fallback={<p>Loading…</p>}>
              <AnalyticsPage />
            </Suspense>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App({ store }: { store: SessionStore }) {
  // One cache per page load, emptied whenever the session ends — the Sign out button, a refused
  // refresh, sessions ended by an admin — so no admin data outlives it.
  const [queryClient] = useState(makeQueryClient);
  useEffect(
    () =>
      store.subscribe(() => {
        if (store.getState().kind === 'signed-out') queryClient.clear();
      }),
    [store, queryClient],
  );
  return (
    <SessionProvider store={store}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter basename={CONSOLE_BASE}>
          <Gate />
        </BrowserRouter>
      </QueryClientProvider>
    </SessionProvider>
  );
}
