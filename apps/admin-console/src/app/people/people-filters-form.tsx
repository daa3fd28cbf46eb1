import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useLayoutEffect, useRef, useState, type ChangeEvent } from 'react';
import { unwrap } from '../api/api-error';
import { useApi } from '../session/session-context';
import {
  MAX_DEPARTMENT_LENGTH,
  MAX_Q_LENGTH,
  normalizeDay,
  normalizeDepartment,
  normalizeQ,
  ROLES,
  STATUSES,
  type FilterKey,
  type PeopleFilters,
} from './people-filters';
import { STATUS_LABELS } from './people-format';

/** Typing waits this long before the URL (and so the search) follows. */
const DEBOUNCE_MS = 250;

/**
 * A field typed into: the input shows the draft at once, the filter gets its normalized value
 * after a pause. When the filter changes from elsewhere (Back, "Clear filters") the draft follows,
 * unless it already means that value (a trailing space just typed must survive its own commit).
 */
function useDebouncedField(committed: string, normalize: (value: string) => string, commit: (value: string) => void) {
  const [draft, setDraft] = useState(committed);
  const [seen, setSeen] = useState(committed);
  if (committed !== seen) {
    setSeen(committed);
    if (normalize(draft) !== committed) setDraft(committed);
  }
  // The timer fires after later renders: it must call the latest commit, which sees the latest URL.
  const latestCommit = useRef(commit);
  useLayoutEffect(() => {
    latestCommit.current = commit;
  });
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const value = event.target.value;
    setDraft(value);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => latestCommit.current(normalize(value)), DEBOUNCE_MS);
  };
  /** "Clear filters": a pause not yet over must not bring the typed value back afterwards. */
  const clear = () => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    setDraft('');
  };
  return { field: { value: draft, onChange }, clear };
}

/** Department names for suggestions (admin-analytics' breakdown); without it the field is plain text. */
function useDepartmentNames(): string[] {
  const api = useApi();
  const { data } = useQuery({
    queryKey: ['people', 'departments'],
    queryFn: async () => unwrap(await api.analytics.GET('/analytics/breakdown', { params: { query: { by: 'department', limit: 100 } } })),
    staleTime: 5 * 60_000,
    retry: false,
  });
  return (data?.rows ?? []).map((row) => row.key).filter((key) => key !== '(none)' && key !== 'other');
}

export interface FilterChange {
  key: FilterKey;
  value: string;
  /** Typing replaces the history entry (Back is not one keystroke); a choice adds one. */
  replace: boolean;
}

export function PeopleFiltersForm({
  filters,
  onChange,
  onClear,
}: {
  filters: PeopleFilters;
  onChange: (change: FilterChange) => void;
  onClear?: () => void;
}) {
  const id = useId();
  const typed = (key: FilterKey) => (value: string) => onChange({ key, value, replace: true });
  const q = useDebouncedField(filters.q ?? '', normalizeQ, typed('q'));
  const department = useDebouncedField(filters.department ?? '', normalizeDepartment, typed('department'));
  const before = useDebouncedField(filters.lastActiveBefore ?? '', normalizeDay, typed('lastActiveBefore'));
  const after = useDebouncedField(filters.lastActiveAfter ?? '', normalizeDay, typed('lastActiveAfter'));
  const departments = useDepartmentNames();
  const qInput = useRef<HTMLInputElement>(null);
  const clear = () => {
    for (const field of [q, department, before, after]) field.clear();
    onClear?.();
    // The button goes away with the filters: the search field, where a new search starts, gets the focus.
    qInput.current?.focus();
  };
  const chosen = (key: FilterKey) => (event: ChangeEvent<HTMLSelectElement>) =>
    onChange({ key, value: event.target.value, replace: false });

  return (
    <form role="search" aria-label="Filter people" className="people-filters" onSubmit={(event) => event.preventDefault()}>
      <div className="form-row people-filter-q">
        <label htmlFor={`${id}-q`}>Name or email</label>
        <input
          id={`${id}-q`}
          type="search"
          autoComplete="off"
          spellCheck={false}
          maxLength={MAX_Q_LENGTH}
          aria-describedby={`${id}-q-hint`}
          ref={qInput}
          {...q.field}
        />
        <span id={`${id}-q-hint`} className="people-hint muted">
          Start of a first or last name (accents ignored), or of an email with @
        </span>
      </div>
      <div className="form-row">
        <label htmlFor={`${id}-department`}>Department</label>
        <input
          id={`${id}-department`}
          type="text"
          autoComplete="off"
          maxLength={MAX_DEPARTMENT_LENGTH}
          list={departments.length ? `${id}-departments` : undefined}
          aria-describedby={`${id}-department-hint`}
          {...department.field}
        />
        <span id={`${id}-department-hint`} className="people-hint muted">
          Exact name
        </span>
        {departments.length > 0 && (
          <datalist id={`${id}-departments`}>
            {departments.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        )}
      </div>
      <div className="form-row">
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} value={filters.role ?? ''} onChange={chosen('role')}>
          <option value="">Any role</option>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role === 'admin' ? 'Admin' : 'Member'}
            </option>
          ))}
        </select>
      </div>
      <div className="form-row">
        <label htmlFor={`${id}-status`}>Status</label>
        <select id={`${id}-status`} value={filters.status ?? ''} onChange={chosen('status')}>
          <option value="">Active or suspended</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <div className="form-row">
        <label htmlFor={`${id}-verified`}>Email</label>
        <select id={`${id}-verified`} value={filters.verified ?? ''} onChange={chosen('verified')}>
          <option value="">Verified or not</option>
          <option value="true">Verified</option>
          <option value="false">Not verified</option>
        </select>
      </div>
      <div className="form-row">
        <label htmlFor={`${id}-before`}>Last sign-in before</label>
        <input id={`${id}-before`} type="date" aria-describedby={`${id}-before-hint`} {...before.field} />
        <span id={`${id}-before-hint`} className="people-hint muted">
          Dormant: includes never signed in (UTC day)
        </span>
      </div>
      <div className="form-row">
        <label htmlFor={`${id}-after`}>Last sign-in on or after</label>
        <input id={`${id}-after`} type="date" aria-describedby={`${id}-after-hint`} {...after.field} />
        <span id={`${id}-after-hint`} className="people-hint muted">
          UTC day
        </span>
      </div>
      {onClear && (
        <div className="people-filters-clear">
          <button type="button" className="button-quiet" onClick={clear}>
            Clear filters
          </button>
        </div>
      )}
    </form>
  );
}
