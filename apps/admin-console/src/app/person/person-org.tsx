import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { isApiError, unwrap } from '../api/api-error';
import { ErrorNotice } from '../layout/error-notice';
import { useApi } from '../session/session-context';
import { personKey, walkManagerChain, type Person } from './person-model';

const REPORTS_PAGE = 20;

/** The managers above the person, top first, as a breadcrumb ending at the person. */
export function ManagerChain({ person }: { person: Person }) {
  const api = useApi();
  const chain = useQuery({
    queryKey: [...personKey(person.id), 'chain', person.managerId],
    enabled: person.managerId !== null,
    queryFn: () =>
      walkManagerChain(person, async (id) => {
        try {
          return unwrap(await api.users.GET('/users/{id}', { params: { path: { id } } }));
        } catch (error) {
          // A manager deleted since: the chain ends there rather than failing.
          if (isApiError(error, 'not_found')) return undefined;
          throw error;
        }
      }),
  });
  if (person.managerId === null) return <p className="muted person-chain-empty">No manager.</p>;
  if (chain.isPending) return <p className="muted">Loading the manager chain…</p>;
  if (chain.isError) return <ErrorNotice error={chain.error} onRetry={() => void chain.refetch()} />;
  const { managers, stopped } = chain.data;
  return (
    <nav aria-label="Manager chain" className="person-chain">
      <ol>
        {stopped === 'limit' && <li className="muted">…</li>}
        {managers.map((manager) => (
          <li key={manager.id}>
            <Link to={`/people/${manager.id}`}>{manager.fullName}</Link>
            {manager.title && <span className="muted"> ({manager.title})</span>}
          </li>
        ))}
        <li aria-current="page">{person.fullName}</li>
      </ol>
      {stopped === 'cycle' && <p className="muted">The chain loops back on itself here; someone should fix a manager.</p>}
      {stopped === 'missing' && <p className="muted">The next manager up is no longer in the directory.</p>}
    </nav>
  );
}

export function DirectReports({ person }: { person: Person }) {
  const api = useApi();
  const reports = useInfiniteQuery({
    queryKey: [...personKey(person.id), 'reports'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.users.GET('/users/{id}/reports', {
          params: { path: { id: person.id }, query: { limit: REPORTS_PAGE, ...(pageParam ? { after: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const people = reports.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="person-reports-heading" className="person-card">
      <h2 id="person-reports-heading">Direct reports</h2>
      {reports.isPending && <p className="muted">Loading…</p>}
      {reports.isError && <ErrorNotice error={reports.error} onRetry={() => void reports.refetch()} />}
      {reports.isSuccess && people.length === 0 && <p className="muted">No direct reports.</p>}
      {people.length > 0 && (
        <ul className="person-reports">
          {people.map((report) => (
            <li key={report.id}>
              <Link to={`/people/${report.id}`}>{report.fullName}</Link>
              {report.title && <span className="muted"> · {report.title}</span>}
              {report.status !== 'active' && <span className="badge"> {report.status}</span>}
            </li>
          ))}
        </ul>
      )}
      {reports.hasNextPage && (
        <button
          type="button"
          className="button-quiet"
          // aria-disabled, not disabled: a disabled button drops the keyboard focus of the admin who pressed it.
          aria-disabled={reports.isFetchingNextPage}
          onClick={() => {
            if (!reports.isFetchingNextPage) void reports.fetchNextPage();
          }}
        >
          {reports.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      )}
    </section>
  );
}
