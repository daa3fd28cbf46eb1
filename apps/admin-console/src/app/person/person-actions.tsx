import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { isApiError, unwrap } from '../api/api-error';
import { useApi } from '../session/session-context';
import { ConfirmDialog, MutationError, OkNotice } from './person-ui';
import { actionsFor, changesStatus, personKey, versionTag, type Person, type PersonAction } from './person-model';

/** What the page shows after an action: a notice, or (delete, revoke) the person is gone. */
export type ActionOutcome = { kind: 'notice'; text: string } | { kind: 'gone'; text: string };

interface ActionResult {
  outcome: ActionOutcome;
  /** The profile a status change answered with: shown at once, so the next click carries its version. */
  updated?: Person;
}

interface ActionSpec {
  button: string;
  title: string;
  confirm: string;
  danger?: boolean;
  body: ReactNode;
}

function specOf(action: PersonAction, person: Person): ActionSpec {
  const name = person.fullName;
  switch (action) {
    case 'suspend':
      return {
        button: 'Suspend',
        title: `Suspend ${name}?`,
        confirm: 'Suspend',
        danger: true,
        body: 'They are signed out everywhere and cannot sign in until restored. Their profile stays in the directory.',
      };
    case 'restore':
      return { button: 'Restore', title: `Restore ${name}?`, confirm: 'Restore', body: 'They can sign in again with their password.' };
    case 'delete':
      return {
        button: 'Delete',
        title: `Delete ${name}?`,
        confirm: 'Delete',
        danger: true,
        body: 'They disappear from the directory, all their sessions end and they cannot sign in. Their audit trail is kept.',
      };
    case 'passwordReset':
      return {
        button: 'Send password-reset link',
        title: `Send a password-reset link to ${name}?`,
        confirm: 'Send link',
        body: (
          <>
            A link to choose a new password is mailed to <strong>{person.email}</strong>. You never see or set their password.
          </>
        ),
      };
    case 'unlock':
      return {
        button: 'Unlock sign-in',
        title: `Unlock sign-in for ${name}?`,
        confirm: 'Unlock',
        body: 'Failed sign-in attempts counted against their email address are forgotten, so a lock after too many wrong passwords ends now.',
      };
    case 'resendInvitation':
      return {
        button: 'Resend invitation',
        title: `Resend the invitation to ${name}?`,
        confirm: 'Resend invitation',
        body: (
          <>
            A fresh invitation link is mailed to <strong>{person.email}</strong>; earlier links stop working.
          </>
        ),
      };
    case 'revokeInvitation':
      return {
        button: 'Revoke invitation',
        title: `Revoke the invitation of ${name}?`,
        confirm: 'Revoke invitation',
        danger: true,
        body: 'Their invitation links stop working and they are removed from the directory.',
      };
  }
}

export function PersonActions({
  person,
  isSelf,
  onOutcome,
  onReload,
}: {
  person: Person;
  isSelf: boolean;
  onOutcome: (outcome: ActionOutcome) => void;
  onReload: () => Promise<unknown>;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<PersonAction>();
  const [notice, setNotice] = useState<string>();
  const [reloading, setReloading] = useState(false);
  const path = { params: { path: { id: person.id } } };
  // Status changes (delete too) carry the version shown: one decided on an outdated view is refused (409).
  const ifMatch = { params: { path: { id: person.id }, header: { 'If-Match': versionTag(person.version) } } };

  const run = useMutation({
    mutationFn: async (action: PersonAction): Promise<ActionResult> => {
      const name = person.fullName;
      const notice = (text: string): ActionOutcome => ({ kind: 'notice', text });
      switch (action) {
        case 'suspend': {
          const updated = unwrap(await api.users.PATCH('/users/{id}', { ...ifMatch, body: { status: 'suspended' } }));
          return { outcome: notice(`${name} is suspended and signed out everywhere.`), updated };
        }
        case 'restore': {
          const updated = unwrap(await api.users.PATCH('/users/{id}', { ...ifMatch, body: { status: 'active' } }));
          return { outcome: notice(`${name} is active again.`), updated };
        }
        case 'delete':
          // PATCH with If-Match, not DELETE (which takes none): a delete decided on an outdated view is refused.
          unwrap(await api.users.PATCH('/users/{id}', { ...ifMatch, body: { status: 'deleted' } }));
          return { outcome: { kind: 'gone', text: `${name} was deleted; their sessions ended.` } };
        case 'passwordReset':
          unwrap(await api.users.POST('/users/{id}/password-reset', path));
          return { outcome: notice(`A reset link was mailed to ${person.email}.`) };
        case 'unlock':
          unwrap(await api.auth.POST('/auth/admin/users/{id}/unlock', path));
          return { outcome: notice(`Sign-in is unlocked for ${name}.`) };
        case 'resendInvitation':
          unwrap(await api.users.POST('/users/invitations/{id}/resend', path));
          return { outcome: notice(`A new invitation was mailed to ${person.email}.`) };
        case 'revokeInvitation':
          unwrap(await api.users.DELETE('/users/invitations/{id}', path));
          return { outcome: { kind: 'gone', text: `The invitation of ${name} was revoked.` } };
      }
    },
    onSuccess: async ({ outcome, updated }, action) => {
      setOpen(undefined);
      if (outcome.kind === 'notice') setNotice(outcome.text);
      if (updated) queryClient.setQueryData([...personKey(person.id), 'profile'], updated);
      onOutcome(outcome);
      if (outcome.kind === 'gone') queryClient.removeQueries({ queryKey: personKey(person.id) });
      await Promise.all([
        // Every person's queries on a status change: a manager's Direct reports show the status.
        queryClient.invalidateQueries({ queryKey: changesStatus(action) ? ['person'] : personKey(person.id) }),
        queryClient.invalidateQueries({ queryKey: ['people'] }),
      ]);
    },
  });

  const actions = actionsFor(person.status, isSelf);
  const spec = open ? specOf(open, person) : undefined;
  const reload = async () => {
    setReloading(true);
    try {
      await onReload();
      setOpen(undefined);
    } finally {
      setReloading(false);
    }
  };
  return (
    <section aria-labelledby="person-actions-heading" className="person-card">
      <h2 id="person-actions-heading">Actions</h2>
      <OkNotice text={notice} onDismiss={() => setNotice(undefined)} />
      {actions.length === 0 ? (
        <p className="muted">No actions apply to this person.</p>
      ) : (
        <div className="person-action-buttons">
          {actions.map((action) => {
            const { button, danger } = specOf(action, person);
            return (
              <button
                key={action}
                type="button"
                className={danger ? 'button-danger' : 'button-quiet'}
                onClick={() => {
                  run.reset();
                  setNotice(undefined);
                  setOpen(action);
                }}
              >
                {button}
              </button>
            );
          })}
        </div>
      )}
      {isSelf && <p className="muted">This is you: you cannot suspend or delete yourself.</p>}
      {open && spec && (
        <ConfirmDialog
          title={spec.title}
          confirmLabel={spec.confirm}
          danger={spec.danger}
          pending={run.isPending}
          confirmDisabled={isApiError(run.error, 'version_conflict')}
          onConfirm={() => run.mutate(open)}
          onCancel={() => setOpen(undefined)}
          error={run.isError ? <MutationError error={run.error} onReload={() => void reload()} reloading={reloading} /> : undefined}
        >
          <p>{spec.body}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
