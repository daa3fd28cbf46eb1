import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/api-error';
import { ErrorNotice } from '../layout/error-notice';
import { useApi } from '../session/session-context';
import { ConfirmDialog, OkNotice } from './person-ui';
import { describeAmr, describeUserAgent, formatDateTime, personKey, sessionsSummary, type Person } from './person-model';

export function PersonSessions({ person, isSelf }: { person: Person; isSelf: boolean }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string>();
  const sessions = useQuery({
    queryKey: [...personKey(person.id), 'sessions'],
    queryFn: async () => unwrap(await api.users.GET('/users/{id}/sessions', { params: { path: { id: person.id } } })),
  });
  const endAll = useMutation({
    mutationFn: async () => unwrap(await api.users.DELETE('/users/{id}/sessions', { params: { path: { id: person.id } } })),
    onSuccess: async () => {
      setConfirming(false);
      setDone(`All sessions of ${person.fullName} ended; they have to sign in again.`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: [...personKey(person.id), 'sessions'] }),
        queryClient.invalidateQueries({ queryKey: [...personKey(person.id), 'events'] }),
      ]);
    },
  });
  const openDialog = () => {
    endAll.reset();
    setDone(undefined);
    setConfirming(true);
  };
  return (
    <section aria-labelledby="person-sessions-heading" className="person-card person-wide">
      <h2 id="person-sessions-heading">Sessions</h2>
      <OkNotice text={done} onDismiss={() => setDone(undefined)} />
      {sessions.isPending && <p className="muted">Loading…</p>}
      {sessions.isError && <ErrorNotice error={sessions.error} onRetry={() => void sessions.refetch()} />}
      {sessions.data && (
        <>
          <p data-testid="person-sessions-summary">{sessionsSummary(sessions.data)}</p>
          {sessions.data.items.length > 0 && (
            <div className="person-table-scroll">
              <table className="person-sessions-table">
                <caption className="visually-hidden">Active sessions of {person.fullName}, most recently used first</caption>
                <thead>
                  <tr>
                    <th scope="col">Signed in</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Method</th>
                    <th scope="col">Client</th>
                    <th scope="col">Address</th>
                  </tr>
                </thead>
                <tbody>
                  {sessions.data.items.map((session) => (
                    <tr key={session.id}>
                      <td>{formatDateTime(session.createdAt)}</td>
                      <td>{formatDateTime(session.lastUsedAt)}</td>
                      <td>{formatDateTime(session.expiresAt)}</td>
                      <td>{describeAmr(session.amr)}</td>
                      <td title={session.userAgent}>{describeUserAgent(session.userAgent)}</td>
                      <td>{session.ip ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {sessions.data.active > sessions.data.items.length && (
            <p className="muted">Showing the {sessions.data.items.length} most recently used.</p>
          )}
        </>
      )}
      {person.status !== 'invited' && (
        <button type="button" className="button-danger" onClick={openDialog}>
          End all sessions
        </button>
      )}
      {confirming && (
        <ConfirmDialog
          title={`End all sessions of ${person.fullName}?`}
          confirmLabel="End all sessions"
          danger
          pending={endAll.isPending}
          onConfirm={() => endAll.mutate()}
          onCancel={() => setConfirming(false)}
          error={endAll.isError ? <ErrorNotice error={endAll.error} /> : undefined}
        >
          <p>
            They are signed out on every device and every access token issued so far stops working. Their account stays as it is: they can
            sign in again.
          </p>
          {isSelf && <p>This is you: you will be signed out of this console too.</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}
