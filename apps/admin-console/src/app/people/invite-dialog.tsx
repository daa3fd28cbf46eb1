import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { unwrap } from '../api/api-error';
import { useApi } from '../session/session-context';
import type { Person } from './people-format';
import { invitationBody, inviteProblem, type InviteForm } from './people-invite';

interface Invited {
  person: Person;
  /** 200: the address had a pending invitation, which got a fresh link. */
  reinvited: boolean;
}

const text = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
};

/**
 * "Invite a person": a native modal dialog (focus moves in, Escape closes, focus returns to the
 * button). An error keeps the dialog open with what was typed: the form is uncontrolled and
 * submitted by onSubmit, not a form action (React resets a form after its action).
 */
export function InviteDialog() {
  const api = useApi();
  const queryClient = useQueryClient();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const [invited, setInvited] = useState<Invited | undefined>();

  const invite = useMutation({
    mutationFn: async (fields: InviteForm): Promise<Invited> => {
      const result = await api.users.POST('/users/invitations', { body: invitationBody(fields) });
      return { person: unwrap(result), reinvited: result.response.status === 200 };
    },
    onSuccess: (answer) => {
      setInvited(answer);
      form.current?.reset();
      dialog.current?.close();
      void queryClient.invalidateQueries({ queryKey: ['people'] });
    },
  });
  const problem = invite.error ? inviteProblem(invite.error) : undefined;

  const open = () => {
    invite.reset();
    dialog.current?.showModal();
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (invite.isPending) return;
    const data = new FormData(event.currentTarget);
    invite.mutate({
      email: text(data, 'email'),
      first: text(data, 'first'),
      last: text(data, 'last'),
      department: text(data, 'department'),
      title: text(data, 'title'),
      role: text(data, 'role') === 'admin' ? 'admin' : 'member',
    });
  };

  return (
    <>
      <button type="button" onClick={open}>
        Invite a person
      </button>
      {/* The live region stays mounted while empty: one inserted already holding its text is announced unreliably. */}
      <div className={invited ? 'notice notice-ok people-invited' : 'people-invited'}>
        <span role="status">
          {invited && (
            <>
              {invited.reinvited ? 'Invited again (a fresh link was sent): ' : 'Invitation sent to '}
              <Link to={`/people/${invited.person.id}`}>{invited.person.fullName}</Link> ({invited.person.email}).
            </>
          )}
        </span>
        {invited && (
          <button type="button" className="button-quiet" onClick={() => setInvited(undefined)}>
            Dismiss
          </button>
        )}
      </div>
      <dialog ref={dialog} className="people-invite-dialog" aria-labelledby={`${id}-title`}>
        <form ref={form} onSubmit={submit} aria-describedby={problem && !problem.field ? `${id}-problem` : undefined}>
          <h2 id={`${id}-title`}>Invite a person</h2>
          <p className="muted">They get an email with a link to set a password; it works for 7 days.</p>
          <div className="form-row">
            <label htmlFor={`${id}-email`}>Email</label>
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              required
              autoComplete="off"
              maxLength={254}
              aria-invalid={problem?.field === 'email' || undefined}
              aria-describedby={problem?.field === 'email' ? `${id}-email-problem` : undefined}
            />
            {problem?.field === 'email' && (
              <span id={`${id}-email-problem`} className="people-field-error" role="alert">
                {problem.message}
              </span>
            )}
          </div>
          <div className="people-invite-names">
            <div className="form-row">
              <label htmlFor={`${id}-first`}>First name</label>
              <input id={`${id}-first`} name="first" required maxLength={100} autoComplete="off" />
            </div>
            <div className="form-row">
              <label htmlFor={`${id}-last`}>Last name</label>
              <input id={`${id}-last`} name="last" required maxLength={100} autoComplete="off" />
            </div>
          </div>
          <div className="form-row">
            <label htmlFor={`${id}-department`}>
              Department <span className="muted">(optional)</span>
            </label>
            <input id={`${id}-department`} name="department" maxLength={100} autoComplete="off" />
          </div>
          <div className="form-row">
            <label htmlFor={`${id}-title-field`}>
              Title <span className="muted">(optional)</span>
            </label>
            <input id={`${id}-title-field`} name="title" maxLength={120} autoComplete="off" />
          </div>
          <fieldset className="people-invite-role">
            <legend>Role</legend>
            <label>
              <input type="radio" name="role" value="member" defaultChecked /> Member
            </label>
            <label>
              <input type="radio" name="role" value="admin" /> Admin
            </label>
          </fieldset>
          {problem && !problem.field && (
            <div id={`${id}-problem`} className="notice notice-error" role="alert">
              {problem.message}
            </div>
          )}
          <div className="people-dialog-buttons">
            <button type="button" className="button-quiet" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" aria-disabled={invite.isPending}>
              {invite.isPending ? 'Sending…' : 'Send invitation'}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
