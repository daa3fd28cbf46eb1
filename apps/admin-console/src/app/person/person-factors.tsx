import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/api-error';
import { ErrorNotice } from '../layout/error-notice';
import { useApi } from '../session/session-context';
import { ConfirmDialog, OkNotice } from './person-ui';
import { formatDateTime, personKey, type Person } from './person-model';

const FACTOR_TYPES = { totp: 'Authenticator app', webauthn: 'Passkey' } as const;

export function PersonFactors({ person }: { person: Person }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string>();
  const factors = useQuery({
    queryKey: [...personKey(person.id), 'factors'],
    queryFn: async () => unwrap(await api.auth.GET('/auth/admin/users/{id}/factors', { params: { path: { id: person.id } } })),
    // A pending invitation has no account to add factors to yet.
    enabled: person.status !== 'invited',
  });
  const reset = useMutation({
    mutationFn: async () => unwrap(await api.auth.DELETE('/auth/admin/users/{id}/factors', { params: { path: { id: person.id } } })),
    onSuccess: async () => {
      setConfirming(false);
      setDone(`Second factors of ${person.fullName} were removed; they were mailed a notice.`);
      // The profile and the People list show the enrolled factor types; the trail gets FactorsReset.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: personKey(person.id) }),
        queryClient.invalidateQueries({ queryKey: ['people'] }),
      ]);
    },
  });
  const data = factors.data;
  const hasSomething = data !== undefined && (data.factors.length > 0 || data.recoveryCodes !== null);
  return (
    <section aria-labelledby="person-factors-heading" className="person-card">
      <h2 id="person-factors-heading">Second factors</h2>
      <OkNotice text={done} onDismiss={() => setDone(undefined)} />
      {person.status === 'invited' && <p className="muted">None until they accept their invitation.</p>}
      {person.status !== 'invited' && factors.isPending && <p className="muted">Loading…</p>}
      {factors.isError && <ErrorNotice error={factors.error} onRetry={() => void factors.refetch()} />}
      {data && data.factors.length === 0 && <p className="muted">No second factors.</p>}
      {data && data.factors.length > 0 && (
        <div className="person-table-scroll">
          <table>
            <caption className="visually-hidden">Second factors of {person.fullName}</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Name</th>
                <th scope="col">Added</th>
                <th scope="col">Last used</th>
              </tr>
            </thead>
            <tbody>
              {data.factors.map((factor) => (
                <tr key={factor.id}>
                  <td>
                    {FACTOR_TYPES[factor.type]}
                    {factor.status === 'pending' && <span className="badge"> not confirmed</span>}
                  </td>
                  <td>{factor.name}</td>
                  <td>{formatDateTime(factor.createdAt)}</td>
                  <td>{factor.lastUsedAt ? formatDateTime(factor.lastUsedAt) : 'Never'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && (
        <p>
          {data.recoveryCodes
            ? `Recovery codes: ${data.recoveryCodes.remaining} remaining (generated ${formatDateTime(data.recoveryCodes.generatedAt)}).`
            : 'No recovery codes.'}
        </p>
      )}
      {hasSomething && (
        <button
          type="button"
          className="button-danger"
          onClick={() => {
            reset.reset();
            setDone(undefined);
            setConfirming(true);
          }}
        >
          Reset second factors
        </button>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Reset the second factors of ${person.fullName}?`}
          confirmLabel="Reset second factors"
          danger
          pending={reset.isPending}
          onConfirm={() => reset.mutate()}
          onCancel={() => setConfirming(false)}
          error={reset.isError ? <ErrorNotice error={reset.error} /> : undefined}
        >
          <p>
            Every authenticator app, passkey and recovery code of theirs is removed; they sign in with their password alone until they add a
            factor again. They are mailed a notice. Do this only after checking who is asking.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
