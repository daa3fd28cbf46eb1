import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/api-error';
import { ErrorNotice } from '../layout/error-notice';
import { useApi } from '../session/session-context';
import { eventActor, summarizeEvent, type AuditEvent } from './event-summary';
import { formatDateTime, personKey, type Person } from './person-model';

const EVENTS_PAGE = 20;
/** GET /users?ids= takes at most this many. */
const MAX_IDS = 100;

export function PersonAudit({ person, selfId }: { person: Person; selfId: string | undefined }) {
  const api = useApi();
  const events = useInfiniteQuery({
    queryKey: [...personKey(person.id), 'events'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.users.GET('/users/{id}/events', {
          params: { path: { id: person.id }, query: { limit: EVENTS_PAGE, ...(pageParam ? { after: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items: AuditEvent[] = events.data?.pages.flatMap((page) => page.items) ?? [];
  // The admins named in `by`, looked up once per set of ids so "by Ana Lopez" reads as a name.
  const actorIds = [...new Set(items.flatMap((event) => (event.by && event.by !== selfId ? [event.by] : [])))].sort().slice(0, MAX_IDS);
  const actors = useQuery({
    queryKey: [...personKey(person.id), 'event-actors', actorIds.join(',')],
    enabled: actorIds.length > 0,
    queryFn: async () => {
      const page = unwrap(await api.users.GET('/users', { params: { query: { ids: actorIds.join(',') } } }));
      return new Map(page.items.map((user) => [user.id, user.fullName]));
    },
  });
  const names = actorIds.length === 0 ? new Map<string, string>() : actors.data;
  return (
    <section aria-labelledby="person-audit-heading" className="person-card person-wide">
      <h2 id="person-audit-heading">Audit trail</h2>
      {events.isPending && <p className="muted">Loading…</p>}
      {events.isError && !events.isFetchNextPageError && <ErrorNotice error={events.error} onRetry={() => void events.refetch()} />}
      {events.isSuccess && items.length === 0 && <p className="muted">Nothing recorded yet.</p>}
      {items.length > 0 && (
        <div className="person-table-scroll">
          <table className="person-audit-table">
            <caption className="visually-hidden">Audit trail of {person.fullName}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What happened</th>
                <th scope="col">Type</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {items.map((event) => (
                <tr key={event.id}>
                  <td>
                    <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                  </td>
                  <td>{summarizeEvent(event)}</td>
                  <td>
                    <code className="person-event-kind">{event.kind}</code>
                  </td>
                  <td>{eventActor(event, names, selfId) ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {events.hasNextPage && (
        <button
          type="button"
          className="button-quiet"
          // aria-disabled, not disabled: a disabled button drops the keyboard focus of the admin who pressed it.
          aria-disabled={events.isFetchingNextPage}
          onClick={() => {
            if (!events.isFetchingNextPage) void events.fetchNextPage();
          }}
        >
          {events.isFetchingNextPage ? 'Loading…' : 'Show older'}
        </button>
      )}
      {events.isFetchNextPageError && <ErrorNotice error={events.error} onRetry={() => void events.fetchNextPage()} />}
    </section>
  );
}
