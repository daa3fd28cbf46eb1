import type { EventsRepository, UsersRepository } from '@directory/data-access';
import { ServiceMetrics } from '@directory/platform';
import { EventKind } from '@directory/schemas';
import { Types } from 'mongoose';
import { queryHash, SEARCH_EVENTS_OPTIONS, SearchEvents } from './search-events';

const WEEK = '2026-W10';

/** Repositories that record what they were asked (the real ones are covered by search.e2e.spec.ts). */
function standIns(options: { failWrites?: boolean; knownUsers?: string[] } = {}) {
  const written: { kind: string; events: Record<string, unknown>[] }[] = [];
  const events = {
    appendMany: async (kind: string, batch: Record<string, unknown>[]) => {
      if (options.failWrites) throw new Error('connection refused');
      written.push({ kind, events: batch });
    },
  } as unknown as EventsRepository;
  const users = {
    signupWeeks: async (ids: Types.ObjectId[]) =>
      new Map(
        ids.filter((id) => !options.knownUsers || options.knownUsers.includes(id.toHexString())).map((id) => [id.toHexString(), WEEK]),
      ),
  } as unknown as UsersRepository;
  const metrics = new ServiceMetrics('users-api-test');
  return { written, service: new SearchEvents(events, users, metrics), metrics };
}

async function counted(metrics: ServiceMetrics, outcome: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('users_search_events_total')?.get();
  return metric?.values.find((value) => value.labels['outcome'] === outcome)?.value ?? 0;
}

describe('SearchEvents (the buffer between a search and its audit event)', () => {
  const searcher = new Types.ObjectId().toHexString();

  it('records without writing: the search never waits for the event', async () => {
    const { written, service } = standIns();
    service.record(searcher, 'Ada', 3);
    expect(written).toEqual([]);
    await service.flush();
    expect(written).toEqual([
      {
        kind: EventKind.UserSearched,
        events: [expect.objectContaining({ cohortWeek: WEEK, resultCount: 3, queryHash: queryHash('ada') })],
      },
    ]);
    expect(String((written[0]?.events[0] as { userId: unknown }).userId)).toBe(searcher);
  });

  it('writes a full batch at once, in one insertMany', async () => {
    const { written, service, metrics } = standIns();
    for (let i = 0; i < SEARCH_EVENTS_OPTIONS.maxBatch; i++) service.record(searcher, undefined, i);
    await service.flush();
    expect(written).toHaveLength(1);
    expect(written[0]?.events).toHaveLength(SEARCH_EVENTS_OPTIONS.maxBatch);
    expect(written[0]?.events[0]).not.toHaveProperty('queryHash');
    expect(await counted(metrics, 'written')).toBe(SEARCH_EVENTS_OPTIONS.maxBatch);
  });

  it('writes on its own after the flush interval', async () => {
    const { written, service } = standIns();
    service.record(searcher, 'x', 1);
    await new Promise((resolve) => setTimeout(resolve, SEARCH_EVENTS_OPTIONS.flushIntervalMs * 4));
    expect(written).toHaveLength(1);
  });

  it('drops and counts a batch the database refuses, and throws nowhere', async () => {
    const { service, metrics } = standIns({ failWrites: true });
    service.record(searcher, 'a', 1);
    service.record(searcher, 'b', 2);
    await expect(service.flush()).resolves.toBeUndefined();
    expect(await counted(metrics, 'dropped')).toBe(2);
  });

  it('drops what does not fit in the bounded buffer', async () => {
    const { service, metrics } = standIns({ failWrites: true });
    // Writes fail, so nothing leaves the buffer until flush: fill it beyond its bound.
    const flush = jest.spyOn(service, 'flush').mockResolvedValue(undefined);
    for (let i = 0; i < SEARCH_EVENTS_OPTIONS.maxPending + 5; i++) service.record(searcher, undefined, 0);
    expect(await counted(metrics, 'dropped')).toBe(5);
    flush.mockRestore();
  });

  it('skips searchers whose account is gone (no cohort to attribute the search to)', async () => {
    const gone = new Types.ObjectId().toHexString();
    const { written, service, metrics } = standIns({ knownUsers: [searcher] });
    service.record(searcher, 'a', 1);
    service.record(gone, 'b', 1);
    await service.flush();
    expect(written[0]?.events).toHaveLength(1);
    expect(await counted(metrics, 'dropped')).toBe(1);
  });

  it('flushes what is buffered before the application shuts down', async () => {
    const { written, service } = standIns();
    service.record(searcher, 'late', 1);
    await service.beforeApplicationShutdown();
    expect(written).toHaveLength(1);
  });
});
