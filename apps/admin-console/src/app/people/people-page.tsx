import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { unwrap } from '../api/api-error';
import { pageTitle, useDocumentTitle } from '../layout/console-layout';
import { ErrorNotice } from '../layout/error-notice';
import { useApi } from '../session/session-context';
import { InviteDialog } from './invite-dialog';
import { PeopleExportButtons } from './people-export-buttons';
import { hasFilters, parseFilters, toApiQuery, toSearchParams, withFilter } from './people-filters';
import { PeopleFiltersForm, type FilterChange } from './people-filters-form';
import { loadedSentence, matchSentence, people as peopleCount } from './people-format';
import { PeopleTable } from './people-table';
import './people.css';

/** Rows per request: a screenful and more, well under users-api's 100. */
const PAGE_SIZE = 50;

/**
 * "Load more", also pressed by scrolling it into view (IntersectionObserver); it stays an
 * ordinary button for the keyboard. It is never disabled while loading, so focus stays on it.
 */
function LoadMore({
  onLoad,
  onGoneWithFocus,
  loading,
  ready,
  label,
}: {
  onLoad: () => void;
  /** The last page arrived while the button had the focus: the page moves it on, not to <body>. */
  onGoneWithFocus: () => void;
  loading: boolean;
  ready: boolean;
  label: string;
}) {
  const button = useRef<HTMLButtonElement>(null);
  const latest = useRef({ onLoad, onGoneWithFocus });
  useEffect(() => {
    latest.current = { onLoad, onGoneWithFocus };
  });
  // A layout cleanup runs before React removes the button, while it may still hold the focus.
  useLayoutEffect(() => {
    const element = button.current;
    return () => {
      if (element && element === document.activeElement) latest.current.onGoneWithFocus();
    };
  }, []);
  useEffect(() => {
    const element = button.current;
    if (!element || typeof IntersectionObserver === 'undefined') return undefined;
    // A margin below the fold: the next page is usually there before the admin reaches the end.
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && latest.current.onLoad(), {
      rootMargin: '0px 0px 300px 0px',
    });
    observer.observe(element);
    return () => observer.disconnect();
    // Observed afresh whenever it can load again (a page arrived, a search settled): a new observer
    // reports at once whether the button is still in view (a tall window), which loads on.
  }, [ready]);
  return (
    <div className="people-load-more">
      <button ref={button} type="button" className="button-quiet" aria-disabled={loading} onClick={onLoad}>
        {loading ? 'Loading more…' : 'Load more'} <span className="people-load-more-count">({label})</span>
      </button>
    </div>
  );
}

export function PeoplePage() {
  useDocumentTitle(pageTitle('People'));
  const api = useApi();
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  // Keyed by the URL's text, so a new URLSearchParams object with the same query is the same filters.
  const filters = useMemo(() => parseFilters(new URLSearchParams(search)), [search]);
  const apiQuery = useMemo(() => toApiQuery(filters), [filters]);

  const changeFilter = ({ key, value, replace }: FilterChange) => {
    const next = toSearchParams(withFilter(filters, key, value));
    if (next.toString() !== search) setSearchParams(next, { replace });
  };

  const list = useInfiniteQuery({
    queryKey: ['people', 'list', apiQuery],
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.users.GET('/users', {
          params: {
            // The total is counted once per search, with its first page.
            query: { ...apiQuery, limit: PAGE_SIZE, ...(pageParam ? { after: pageParam } : { includeTotal: 'true' }) },
          },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // The previous search's rows stay on screen (dimmed) while the next one loads: no flicker.
    placeholderData: keepPreviousData,
  });

  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const settled = list.isSuccess && !list.isPlaceholderData;
  const searching = list.isPlaceholderData || list.isPending;
  const filtered = hasFilters(filters);

  const listEnd = useRef<HTMLParagraphElement>(null);
  // The end-of-list line is drawn in the same commit that removes the button: focus it once drawn.
  const focusListEnd = () => queueMicrotask(() => listEnd.current?.focus());

  const loadMore = () => {
    if (list.hasNextPage && !list.isFetchingNextPage && !list.isFetchNextPageError && settled) void list.fetchNextPage();
  };

  return (
    <section className="people" aria-labelledby="people-heading">
      <div className="people-header">
        <h1 id="people-heading">People</h1>
        <div className="people-actions">
          <PeopleExportButtons filters={filters} />
          <InviteDialog />
        </div>
      </div>

      <PeopleFiltersForm
        filters={filters}
        onChange={changeFilter}
        onClear={filtered ? () => setSearchParams({}, { replace: false }) : undefined}
      />

      <div className="people-summary">
        {/* Announced once a search has answered, not on every keystroke. */}
        <p role="status" aria-live="polite" className="people-count">
          {settled ? matchSentence(total, rows.length) : list.isPending ? 'Loading…' : ''}
        </p>
        {searching && list.data && (
          <span className="people-searching muted" aria-hidden="true">
            Searching…
          </span>
        )}
      </div>

      {list.isError && !list.isFetchNextPageError && <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />}

      {list.isSuccess && rows.length === 0 && !list.isPlaceholderData && (
        <div className="people-empty">
          <p>
            <strong>No one matches.</strong>
          </p>
          <p className="muted">
            {filtered
              ? 'Try a shorter name, another status (deleted and invited people are only shown when you pick that status), or clear the filters.'
              : 'The directory has no active or suspended people yet. Invite someone to start.'}
          </p>
        </div>
      )}

      {rows.length > 0 && <PeopleTable people={rows} busy={searching} />}

      {list.isFetchNextPageError && <ErrorNotice error={list.error} onRetry={() => void list.fetchNextPage()} />}

      {list.hasNextPage && !list.isFetchNextPageError && (
        <LoadMore
          onLoad={loadMore}
          onGoneWithFocus={focusListEnd}
          loading={list.isFetchingNextPage}
          ready={settled && !list.isFetchingNextPage}
          label={loadedSentence(rows.length, total)}
        />
      )}
      {settled && !list.hasNextPage && rows.length > 0 && (
        <p ref={listEnd} tabIndex={-1} className="people-end muted">
          {total === undefined ? 'End of the list.' : `All ${peopleCount(total)} shown.`}
        </p>
      )}
    </section>
  );
}
