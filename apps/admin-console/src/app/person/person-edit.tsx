import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { isApiError, unwrap } from '../api/api-error';
import { useApi } from '../session/session-context';
import { MutationError, OkNotice } from './person-ui';
import { editPatch, editValuesOf, lockedRole, personKey, ROLES, versionTag, type EditValues, type Person, type Role } from './person-model';

const ROLE_LABELS: Record<Role, string> = { member: 'Member', admin: 'Admin' };

/**
 * Title, department and roles, written with `If-Match` of the profile the form shows. The form
 * is remounted for every version it shows, so what the admin edits is always what they saw.
 */
export function PersonEdit({ person, isSelf, onReload }: { person: Person; isSelf: boolean; onReload: () => Promise<unknown> }) {
  const [saved, setSaved] = useState(false);
  // The remount drops whatever had the focus in the old form (Reload, Save): the new form takes it back.
  const focusWasInForm = useRef(false);
  // Bumped by "Reload": the form starts again from the fresh profile even if its version is unchanged.
  const [generation, setGeneration] = useState(0);
  const reload = async () => {
    setSaved(false);
    await onReload();
    setGeneration((g) => g + 1);
  };
  return (
    <section aria-labelledby="person-edit-heading" className="person-card">
      <h2 id="person-edit-heading">Edit</h2>
      <OkNotice text={saved ? 'Saved' : undefined} onDismiss={() => setSaved(false)} />
      <EditForm
        key={`${person.version}:${generation}`}
        person={person}
        isSelf={isSelf}
        onUnmountWithFocus={() => {
          focusWasInForm.current = true;
        }}
        takeFocus={() => {
          const take = focusWasInForm.current;
          focusWasInForm.current = false;
          return take;
        }}
        onSaved={() => setSaved(true)}
        onEdit={() => setSaved(false)}
        onReload={reload}
      />
    </section>
  );
}

function EditForm({
  person,
  isSelf,
  onUnmountWithFocus,
  takeFocus,
  onSaved,
  onEdit,
  onReload,
}: {
  person: Person;
  isSelf: boolean;
  onUnmountWithFocus: () => void;
  /** True once after a remount that dropped the focus. */
  takeFocus: () => boolean;
  onSaved: () => void;
  onEdit: () => void;
  onReload: () => Promise<void>;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<EditValues>(() => editValuesOf(person));
  const [unchanged, setUnchanged] = useState(false);
  const [reloading, setReloading] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  // A layout cleanup runs before React removes the form, while it may still hold the focus.
  const latest = useRef({ onUnmountWithFocus, takeFocus });
  useLayoutEffect(() => {
    latest.current = { onUnmountWithFocus, takeFocus };
  });
  useLayoutEffect(() => {
    const element = form.current;
    return () => {
      if (element?.contains(document.activeElement)) latest.current.onUnmountWithFocus();
    };
  }, []);
  useEffect(() => {
    // Unless something else took it meanwhile ("Saved" does).
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (latest.current.takeFocus() && lost) saveButton.current?.focus();
  }, []);
  const save = useMutation({
    mutationFn: async (patch: NonNullable<ReturnType<typeof editPatch>>) =>
      unwrap(
        await api.users.PATCH('/users/{id}', {
          params: { path: { id: person.id }, header: { 'If-Match': versionTag(person.version) } },
          body: patch,
        }),
      ),
    onSuccess: async (updated) => {
      onSaved();
      // The answer is the new profile: show it at once, then let the trail and lists catch up.
      queryClient.setQueryData([...personKey(person.id), 'profile'], updated);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: personKey(person.id) }),
        queryClient.invalidateQueries({ queryKey: ['people'] }),
      ]);
    },
  });
  const change = (next: Partial<EditValues>) => {
    setValues((current) => ({ ...current, ...next }));
    setUnchanged(false);
    onEdit();
    // A conflict stays until reloaded; other errors clear when the admin edits again.
    if (save.isError && !isApiError(save.error, 'version_conflict')) save.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const patch = editPatch(person, values);
    if (!patch) {
      setUnchanged(true);
      return;
    }
    if (isApiError(save.error, 'version_conflict')) return; // never retried over someone else's change
    if (save.isPending || values.roles.length === 0) return;
    save.mutate(patch);
  };
  const reload = async () => {
    setReloading(true);
    try {
      await onReload();
    } finally {
      setReloading(false);
    }
  };
  const conflict = isApiError(save.error, 'version_conflict');
  const toggleRole = (role: Role, on: boolean) =>
    change({ roles: on ? [...values.roles.filter((r) => r !== role), role] : values.roles.filter((r) => r !== role) });
  return (
    <form ref={form} onSubmit={submit} className="person-edit" aria-labelledby="person-edit-heading">
      <div className="form-row">
        <label htmlFor="person-title">Title</label>
        <input id="person-title" name="title" maxLength={120} value={values.title} onChange={(e) => change({ title: e.target.value })} />
      </div>
      <div className="form-row">
        <label htmlFor="person-department">Department</label>
        <input
          id="person-department"
          name="department"
          maxLength={100}
          value={values.department}
          onChange={(e) => change({ department: e.target.value })}
        />
      </div>
      <fieldset className="person-roles" aria-describedby="person-roles-hint">
        <legend>Roles</legend>
        {ROLES.map((role) => {
          // The service refuses an admin removing their own admin role (409 self_lockout).
          const locked = lockedRole(person, isSelf) === role;
          return (
            <label key={role} className="person-check">
              <input
                type="checkbox"
                name="roles"
                checked={values.roles.includes(role)}
                disabled={locked}
                aria-describedby={locked ? 'person-own-admin-hint' : undefined}
                onChange={(e) => toggleRole(role, e.target.checked)}
              />
              {ROLE_LABELS[role]}
            </label>
          );
        })}
        {lockedRole(person, isSelf) && (
          <p id="person-own-admin-hint" className="muted">
            You cannot remove your own admin role
          </p>
        )}
        <p id="person-roles-hint" className="muted">
          At least one role. Admins manage people in this console; removing a role ends the access tokens that carry it.
        </p>
      </fieldset>
      {values.roles.length === 0 && (
        <p className="notice notice-error" role="alert">
          Choose at least one role.
        </p>
      )}
      {unchanged && (
        <p className="notice notice-warn" role="status">
          Nothing to save: no field was changed.
        </p>
      )}
      {save.isError && <MutationError error={save.error} onReload={() => void reload()} reloading={reloading} />}
      {/* aria-disabled, not disabled: the admin who pressed Save keeps the focus while it runs. */}
      <button ref={saveButton} type="submit" aria-disabled={save.isPending || conflict || values.roles.length === 0}>
        {save.isPending ? 'Saving…' : 'Save changes'}
      </button>
    </form>
  );
}
