import { useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  draftErrors,
  INTERVALS,
  MAX_WEEKS,
  parseView,
  viewToSearch,
  type AnalyticsView,
  type Interval,
  type ViewDraft,
} from './analytics-view';
import { isApiError } from '../api/api-error';
import { pageTitle, useDocumentTitle } from '../layout/console-layout';
import { ErrorNotice } from '../layout/error-notice';
import {
  ActiveUsersSection,
  BreakdownSection,
  CohortsSection,
  ComputedAt,
  FunnelsSection,
  LoginsSection,
  MfaSection,
  SignupsSection,
  useSignups,
} from './analytics-sections';
import './analytics.css';

const INTERVAL_LABELS: Record<Interval, string> = { day: 'Day', week: 'Week (ISO)', month: 'Month' };

/**
 * The admin-analytics dashboard as a console section: the same charts from the same
 * `/analytics/*` routes. The view lives in the URL (`?from&to&interval&weeks&by`) so it can be
 * shared; the form edits a draft and Apply writes it, as the dashboard's form did.
 */
export function AnalyticsPage() {
  useDocumentTitle(pageTitle('Analytics'));
  const [searchParams, setSearchParams] = useSearchParams();
  // `now` only picks the default range; a shared URL carries its own days.
  const view = parseView(searchParams, new Date());
  const show = (next: AnalyticsView) => setSearchParams(viewToSearch(next));
  // A refusal (mfa_required, forbidden) is the same for every route: say it once, not seven times.
  const signups = useSignups(view);
  if (isApiError(signups.error) && signups.error.status === 403) {
    return (
      <div className="analytics">
        <h1>Analytics</h1>
        <ErrorNotice error={signups.error} />
      </div>
    );
  }
  const rangeRefused = isApiError(signups.error) && signups.error.status === 400;
  return (
    <div className="analytics">
      <h1>Analytics</h1>
      {/* Re-mounted when the URL changes (back, forward, a link), so the fields show what is on screen. */}
      <RangeForm key={viewToSearch(view).toString()} view={view} onApply={show} />
      {rangeRefused ? (
        // The range itself is refused (wider than ANALYTICS_MAX_RANGE_DAYS…): one notice, by the form that fixes it.
        <ErrorNotice error={signups.error} />
      ) : (
        <>
          <ComputedAt view={view} />
          <div className="analytics-grid">
            <SignupsSection view={view} />
            <ActiveUsersSection view={view} />
            <LoginsSection view={view} />
            <BreakdownSection view={view} onBy={(by) => show({ ...view, by })} />
            <FunnelsSection view={view} />
            <MfaSection view={view} />
            <CohortsSection view={view} />
          </div>
        </>
      )}
    </div>
  );
}

function RangeForm({ view, onApply }: { view: AnalyticsView; onApply: (view: AnalyticsView) => void }) {
  const [draft, setDraft] = useState<ViewDraft>({ from: view.from, to: view.to, weeks: String(view.weeks) });
  const [interval, chooseInterval] = useState<Interval>(view.interval);
  const [showErrors, setShowErrors] = useState(false);
  const fromField = useRef<HTMLInputElement>(null);
  const toField = useRef<HTMLInputElement>(null);
  const weeksField = useRef<HTMLInputElement>(null);
  const errors = showErrors ? draftErrors(draft) : {};

  const apply = (nextInterval: Interval): boolean => {
    const problems = draftErrors(draft);
    const first = (['from', 'to', 'weeks'] as const).find((name) => problems[name]);
    if (first) {
      setShowErrors(true);
      ({ from: fromField, to: toField, weeks: weeksField })[first].current?.focus();
      return false;
    }
    onApply({ ...view, from: draft.from, to: draft.to, weeks: Number(draft.weeks.trim()), interval: nextInterval });
    return true;
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(interval);
  };
  const edit = (name: keyof ViewDraft) => (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value });
  const described = (name: keyof ViewDraft) => (errors[name] ? `analytics-${name}-error` : undefined);

  return (
    <form className="analytics-controls" aria-label="Range" onSubmit={submit} noValidate>
      <div className="analytics-field">
        <label htmlFor="analytics-from">From</label>
        <input
          id="analytics-from"
          ref={fromField}
          type="date"
          value={draft.from}
          onChange={edit('from')}
          aria-invalid={errors.from ? true : undefined}
          aria-describedby={described('from')}
          required
        />
        {errors.from && (
          <span id="analytics-from-error" className="analytics-error">
            {errors.from}
          </span>
        )}
      </div>
      <div className="analytics-field">
        <label htmlFor="analytics-to">To (not included)</label>
        <input
          id="analytics-to"
          ref={toField}
          type="date"
          value={draft.to}
          onChange={edit('to')}
          aria-invalid={errors.to ? true : undefined}
          aria-describedby={described('to')}
          required
        />
        {errors.to && (
          <span id="analytics-to-error" className="analytics-error">
            {errors.to}
          </span>
        )}
      </div>
      <div className="analytics-field">
        <label htmlFor="analytics-interval">Interval</label>
        <select
          id="analytics-interval"
          value={interval}
          onChange={(event) => {
            const next = event.target.value as Interval;
            chooseInterval(next);
            // As on the dashboard, a new interval shows at once (when the dates are valid).
            apply(next);
          }}
        >
          {INTERVALS.map((value) => (
            <option key={value} value={value}>
              {INTERVAL_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      <div className="analytics-field">
        <label htmlFor="analytics-weeks">Cohort weeks</label>
        <input
          id="analytics-weeks"
          ref={weeksField}
          type="number"
          inputMode="numeric"
          min={0}
          max={MAX_WEEKS}
          value={draft.weeks}
          onChange={edit('weeks')}
          aria-invalid={errors.weeks ? true : undefined}
          aria-describedby={described('weeks')}
          required
        />
        {errors.weeks && (
          <span id="analytics-weeks-error" className="analytics-error">
            {errors.weeks}
          </span>
        )}
      </div>
      <div className="analytics-actions">
        <button type="submit">Apply</button>
        <Link className="button button-quiet" to="/analytics">
          Last 28 days
        </Link>
      </div>
    </form>
  );
}
