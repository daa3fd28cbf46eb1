import { keepPreviousData, useMutation, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { AnalyticsApi } from '@directory/client';
import { useId, type ReactNode } from 'react';
import { unwrap } from '../api/api-error';
import { ErrorNotice } from '../layout/error-notice';
import { useApi } from '../session/session-context';
import {
  BREAKDOWN_LABELS,
  csvFileName,
  FACTOR_LABELS,
  FAILURE_REASONS,
  failures,
  FUNNEL_COLUMNS,
  funnelCell,
  groupCohorts,
  INTERVAL_NOUN,
  peak,
  percent,
  REASON_LABELS,
  seriesSummary,
  sum,
} from './analytics-format';
import { BREAKDOWNS, lastDay, type AnalyticsView, type BreakdownBy } from './analytics-view';
import { COLORS, heatColors } from './chart-scale';
import { BarChart, DataTable, HBarChart, Legend, LineChart, TableDetails, type Series } from './charts';
import { saveFile } from '../shared/save-file';

type Paths = AnalyticsApi.paths;
type Route = Extract<keyof Paths, `/analytics/${string}`>;
type Query = Record<string, string | number>;

const rangeQuery = (view: AnalyticsView) => ({ from: view.from, to: view.to, interval: view.interval });

/** Keys `['analytics', route, params]`; the previous view's figures stay up while the next load. */
function useAnalytics<T>(route: Route, query: Query, load: () => Promise<T>): UseQueryResult<T> {
  return useQuery({ queryKey: ['analytics', route, query], queryFn: load, placeholderData: keepPreviousData });
}

export function useSignups(view: AnalyticsView) {
  const api = useApi();
  const query = rangeQuery(view);
  return useAnalytics('/analytics/signups', query, async () =>
    unwrap(await api.analytics.GET('/analytics/signups', { params: { query } })),
  );
}

/**
 * The route's rows as a CSV file. The routes answer CSV to `Accept: text/csv` but want the bearer
 * token, which a plain link cannot send: fetch it (through the client, so a refresh still happens)
 * and hand the browser a blob URL.
 */
function CsvDownload({ route, query, what }: { route: Route; query: Query; what: string }) {
  const api = useApi();
  const download = useMutation({
    mutationFn: async () => {
      // The routes differ only in their query, which the page builds from the generated types.
      const result = await api.analytics.GET(route as '/analytics/signups', {
        params: { query: query as NonNullable<AnalyticsApi.operations['AnalyticsController_signups']['parameters']['query']> },
        headers: { accept: 'text/csv' },
        parseAs: 'blob',
      });
      saveFile(unwrap(result) as unknown as Blob, csvFileName(route, Object.values(query)));
    },
  });
  return (
    <>
      <button type="button" className="button-quiet analytics-csv" onClick={() => download.mutate()} disabled={download.isPending}>
        {download.isPending ? 'Preparing…' : 'Download CSV'}
        <span className="visually-hidden"> ({what})</span>
      </button>
      {download.isError && <ErrorNotice error={download.error} onRetry={() => download.mutate()} />}
    </>
  );
}

/** A section of the page: heading, a one-line summary, its own loading and error states. */
function Card<T>({
  title,
  testId,
  query,
  headline,
  csv,
  wide = false,
  controls,
  children,
}: {
  title: string;
  /** For the headline, which has no accessible name of its own. */
  testId?: string;
  query: UseQueryResult<T>;
  headline?: (data: T) => string;
  csv?: { route: Route; query: Query };
  wide?: boolean;
  controls?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const headingId = useId();
  const { data, error, isError, isPlaceholderData, refetch } = query;
  return (
    <section className={wide ? 'analytics-card analytics-wide' : 'analytics-card'} aria-labelledby={headingId} aria-busy={query.isFetching}>
      <div className="analytics-card-head">
        <h2 id={headingId}>{title}</h2>
        {data !== undefined && headline && (
          <p className="analytics-headline" data-testid={testId}>
            {headline(data)}
          </p>
        )}
        {controls}
        {csv && <CsvDownload route={csv.route} query={csv.query} what={title.toLowerCase()} />}
      </div>
      {isError ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : data === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className={isPlaceholderData ? 'analytics-stale' : undefined}>
          {isPlaceholderData && <p className="muted analytics-updating">Updating…</p>}
          {children(data)}
        </div>
      )}
    </section>
  );
}

export function SignupsSection({ view }: { view: AnalyticsView }) {
  const query = useSignups(view);
  const per = INTERVAL_NOUN[view.interval];
  return (
    <Card
      title="Signups"
      testId="signups-total"
      query={query}
      headline={(d) => `total ${sum(d.rows.map((r) => r.count))}`}
      csv={{ route: '/analytics/signups', query: rangeQuery(view) }}
    >
      {(d) => (
        <>
          <LineChart
            buckets={d.rows.map((r) => r.bucket)}
            series={[{ key: 'signups', label: 'Signups', color: COLORS.blue, values: d.rows.map((r) => r.count) }]}
            label={seriesSummary('Signups', per, d.rows)}
          />
          <TableDetails
            caption={`Signups per ${per}`}
            columns={['Bucket', 'Signups']}
            rows={d.rows.map((r) => ({ key: r.bucket, head: r.bucket, cells: [r.count] }))}
          />
        </>
      )}
    </Card>
  );
}

export function ActiveUsersSection({ view }: { view: AnalyticsView }) {
  const api = useApi();
  const params = rangeQuery(view);
  const query = useAnalytics('/analytics/active-users', params, async () =>
    unwrap(await api.analytics.GET('/analytics/active-users', { params: { query: params } })),
  );
  const per = INTERVAL_NOUN[view.interval];
  return (
    <Card
      title="Active users"
      testId="active-total"
      query={query}
      headline={(d) => `peak ${peak(d.rows.map((r) => ({ bucket: r.bucket, value: r.count })))?.value ?? 0}`}
      csv={{ route: '/analytics/active-users', query: params }}
    >
      {(d) => (
        <>
          <LineChart
            buckets={d.rows.map((r) => r.bucket)}
            series={[{ key: 'active', label: 'Active users', color: COLORS.green, values: d.rows.map((r) => r.count) }]}
            label={seriesSummary('Distinct users who signed in', per, d.rows, 'peak')}
          />
          <TableDetails
            caption={`Active users per ${per}`}
            columns={['Bucket', 'Active users']}
            rows={d.rows.map((r) => ({ key: r.bucket, head: r.bucket, cells: [r.count] }))}
          />
        </>
      )}
    </Card>
  );
}

const REASON_COLORS = { bad_password: COLORS.red, locked: COLORS.orange, unknown_email: COLORS.purple } as const;

export function LoginsSection({ view }: { view: AnalyticsView }) {
  const api = useApi();
  const params = rangeQuery(view);
  const query = useAnalytics('/analytics/logins', params, async () =>
    unwrap(await api.analytics.GET('/analytics/logins', { params: { query: params } })),
  );
  const per = INTERVAL_NOUN[view.interval];
  return (
    <Card
      title="Logins"
      testId="logins-total"
      query={query}
      headline={(d) => `${sum(d.rows.map((r) => r.succeeded))} succeeded, ${sum(d.rows.map((r) => r.failed))} failed`}
      csv={{ route: '/analytics/logins', query: params }}
    >
      {(d) => {
        const series: Series[] = [
          { key: 'succeeded', label: 'Succeeded', color: COLORS.green, values: d.rows.map((r) => r.succeeded) },
          ...FAILURE_REASONS.map((reason) => ({
            key: reason,
            label: REASON_LABELS[reason],
            color: REASON_COLORS[reason],
            values: d.rows.map((r) => failures(r, reason)),
          })),
        ];
        const byReason = FAILURE_REASONS.map(
          (reason) => `${sum(d.rows.map((r) => failures(r, reason)))} ${REASON_LABELS[reason].slice(8)}`,
        );
        return (
          <>
            <Legend series={series} />
            <BarChart
              stacked
              buckets={d.rows.map((r) => r.bucket)}
              series={series}
              label={`Logins per ${per}, stacked: ${sum(d.rows.map((r) => r.succeeded))} succeeded and ${sum(d.rows.map((r) => r.failed))} failed (${byReason.join(', ')})`}
            />
            <TableDetails
              caption={`Logins per ${per}, failures by reason`}
              columns={['Bucket', 'Succeeded', 'Failed', 'Bad password', 'Locked', 'Unknown email']}
              rows={d.rows.map((r) => ({
                key: r.bucket,
                head: r.bucket,
                cells: [r.succeeded, r.failed, ...FAILURE_REASONS.map((reason) => failures(r, reason))],
              }))}
            />
          </>
        );
      }}
    </Card>
  );
}

export function BreakdownSection({ view, onBy }: { view: AnalyticsView; onBy: (by: BreakdownBy) => void }) {
  const api = useApi();
  const selectId = useId();
  const params = { by: view.by, limit: 10 };
  const query = useAnalytics('/analytics/breakdown', params, async () =>
    unwrap(await api.analytics.GET('/analytics/breakdown', { params: { query: params } })),
  );
  const noun = BREAKDOWN_LABELS[view.by];
  // by=role counts role assignments: a user with two roles is in two rows.
  const unit = view.by === 'role' ? 'role assignments' : 'users';
  return (
    <Card
      title={`Users by ${noun}`}
      testId="breakdown-total"
      query={query}
      headline={(d) => `${d.total} ${unit}`}
      csv={{ route: '/analytics/breakdown', query: params }}
      controls={
        <div className="analytics-inline-field">
          <label htmlFor={selectId}>Break down by</label>
          <select id={selectId} value={view.by} onChange={(event) => onBy(event.target.value as BreakdownBy)}>
            {BREAKDOWNS.map((by) => (
              <option key={by} value={by}>
                {BREAKDOWN_LABELS[by][0].toUpperCase() + BREAKDOWN_LABELS[by].slice(1)}
              </option>
            ))}
          </select>
        </div>
      }
    >
      {(d) =>
        d.rows.length === 0 ? (
          <p className="muted">No users yet.</p>
        ) : (
          <>
            <HBarChart
              rows={d.rows.map((r) => ({ key: r.key, label: r.key, value: r.count, color: COLORS.slate }))}
              label={`${d.total} ${unit} by ${noun}, largest first: ${d.rows
                .slice(0, 5)
                .map((r) => `${r.key} ${r.count}`)
                .join(', ')}${d.rows.length > 5 ? ', and more in the table' : ''}`}
            />
            <TableDetails
              caption={`Users by ${noun}`}
              columns={[noun[0].toUpperCase() + noun.slice(1), view.by === 'role' ? 'Assignments' : 'Users', 'Share']}
              rows={d.rows.map((r) => ({ key: r.key, head: r.key, cells: [r.count, percent(d.total ? r.count / d.total : null)] }))}
            />
          </>
        )
      }
    </Card>
  );
}

export function FunnelsSection({ view }: { view: AnalyticsView }) {
  const api = useApi();
  const params = rangeQuery(view);
  const query = useAnalytics('/analytics/funnels', params, async () =>
    unwrap(await api.analytics.GET('/analytics/funnels', { params: { query: params } })),
  );
  const per = INTERVAL_NOUN[view.interval];
  return (
    <Card
      wide
      title="Verification and invitations"
      testId="funnels-total"
      query={query}
      headline={(d) => `${percent(d.totals.verificationRate)} verified · ${percent(d.totals.acceptanceRate)} of invitations accepted`}
      csv={{ route: '/analytics/funnels', query: params }}
    >
      {(d) => {
        const series: Series[] = [
          { key: 'registered', label: 'Registered', color: COLORS.blue, fill: COLORS.lightBlue, values: d.rows.map((r) => r.registered) },
          { key: 'verified', label: 'Verified', color: COLORS.blue, values: d.rows.map((r) => r.verified) },
          { key: 'invited', label: 'Invited', color: COLORS.purple, fill: COLORS.lightPurple, values: d.rows.map((r) => r.invited) },
          { key: 'accepted', label: 'Accepted', color: COLORS.purple, values: d.rows.map((r) => r.accepted) },
        ];
        const t = d.totals;
        return (
          <div className="analytics-split">
            <div>
              <Legend series={series} />
              <BarChart
                width={1100}
                buckets={d.rows.map((r) => r.bucket)}
                series={series}
                label={`Per ${per}, bars side by side: over the whole range ${t.registered} registered and ${t.verified} verified (${percent(t.verificationRate)}), ${t.invited} invited and ${t.accepted} accepted (${percent(t.acceptanceRate)})`}
              />
            </div>
            <DataTable
              caption="Verification and invitation funnels per bucket"
              columns={['Bucket', ...FUNNEL_COLUMNS.map((c) => c.label)]}
              rows={d.rows.map((r) => ({ key: r.bucket, head: r.bucket, cells: FUNNEL_COLUMNS.map((c) => funnelCell(r, c)) }))}
              foot={{ key: 'total', head: 'Whole range', cells: FUNNEL_COLUMNS.map((c) => funnelCell(t, c)) }}
            />
            <p className="muted analytics-note">
              “Whole range” counts distinct users over the range, so it is not always the sum of the rows; a bucket’s rate can pass 100 %
              when it holds verifications of the previous bucket’s registrations.
            </p>
          </div>
        );
      }}
    </Card>
  );
}

export function MfaSection({ view }: { view: AnalyticsView }) {
  const api = useApi();
  const params = { from: view.from };
  const query = useAnalytics('/analytics/mfa-adoption', params, async () =>
    unwrap(await api.analytics.GET('/analytics/mfa-adoption', { params: { query: params } })),
  );
  return (
    <Card
      wide
      title="Second factors"
      testId="mfa-total"
      query={query}
      headline={(d) => `${d.activeUsers} active users · ${percent(d.rows.find((r) => r.factor === 'any')?.share)} with a second factor`}
      csv={{ route: '/analytics/mfa-adoption', query: params }}
    >
      {(d) => {
        const nobody = !d.rows.some((r) => r.users > 0);
        return (
          <>
            <p className="muted analytics-note">
              Active users: status active, signed in since {d.from}; factors as enrolled today.
              {nobody && ' Nobody has enrolled a second factor yet.'}
            </p>
            <div className="analytics-split analytics-split-mfa">
              <HBarChart
                max={100}
                format={(value) => `${value.toFixed(1)}%`}
                rows={d.rows.map((r) => ({
                  key: r.factor,
                  label: FACTOR_LABELS[r.factor] ?? r.factor,
                  value: r.share === null ? 0 : r.share * 100,
                  color: COLORS.blue,
                  fill: r.factor === 'any' ? COLORS.blue : COLORS.lightBlue,
                }))}
                label={`Share of ${d.activeUsers} active users with each second factor: ${d.rows
                  .map((r) => `${FACTOR_LABELS[r.factor] ?? r.factor} ${percent(r.share)}`)
                  .join(', ')}`}
              />
              <DataTable
                caption="Active users with each second-factor type: count and share"
                columns={['Factor', 'Users', 'Share']}
                rows={d.rows.map((r) => ({ key: r.factor, head: FACTOR_LABELS[r.factor] ?? r.factor, cells: [r.users, percent(r.share)] }))}
              />
            </div>
          </>
        );
      }}
    </Card>
  );
}

export function CohortsSection({ view }: { view: AnalyticsView }) {
  const api = useApi();
  const params = { from: view.from, weeks: view.weeks };
  const query = useAnalytics('/analytics/cohorts', params, async () =>
    unwrap(await api.analytics.GET('/analytics/cohorts', { params: { query: params } })),
  );
  return (
    <Card
      wide
      title="Weekly retention by signup cohort"
      testId="cohorts-total"
      query={query}
      csv={{ route: '/analytics/cohorts', query: params }}
    >
      {(d) => {
        const cohorts = groupCohorts(d.rows, d.weeks);
        if (cohorts.length === 0) return <p className="muted">No signup weeks in this window.</p>;
        const offsets = Array.from({ length: d.weeks + 1 }, (_, offset) => offset);
        return (
          <>
            <p className="muted analytics-note">
              Each row is the users who signed up in one ISO week (from {d.from}); W+n is the share of them who signed in n weeks later.
            </p>
            <div className="analytics-scroll" role="region" aria-label="Cohort retention heat map" tabIndex={0}>
              <table className="analytics-table analytics-heat">
                <caption className="visually-hidden">
                  Weekly retention by signup cohort: share of each cohort active per week after signup
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Cohort</th>
                    <th scope="col">Users</th>
                    {offsets.map((offset) => (
                      <th key={offset} scope="col">
                        W+{offset}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {cohorts.map((cohort) => (
                    <tr key={cohort.cohortWeek} data-cohort={cohort.cohortWeek}>
                      <th scope="row">{cohort.cohortWeek}</th>
                      <td>{cohort.size}</td>
                      {cohort.cells.map((cell, offset) =>
                        cell ? (
                          <td
                            key={offset}
                            data-offset={offset}
                            data-active={cell.active}
                            title={`${cell.active} of ${cell.size} active in ${cell.week}`}
                            style={cell.share === null ? undefined : heatColors(cell.share)}
                          >
                            {percent(cell.share)}
                          </td>
                        ) : (
                          <td key={offset} />
                        ),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        );
      }}
    </Card>
  );
}

/** "Figures computed 2027-01-05 10:00 UTC · 2026-12-08 to 2027-01-04", from the signups answer. */
export function ComputedAt({ view }: { view: AnalyticsView }) {
  const { data } = useSignups(view);
  return (
    <p className="muted analytics-computed">
      {view.from} to {lastDay(view)} (UTC)
      {data && ` · figures computed ${data.generatedAt.slice(0, 16).replace('T', ' ')} UTC`}
    </p>
  );
}
