import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { EventsRepository, UsersRepository, type NewEvent } from '@directory/data-access';
import { ServiceMetrics } from '@directory/platform';
import { EventKind, normalizeText } from '@directory/schemas';
import { Types } from 'mongoose';
import { createHash } from 'node:crypto';
import { Counter, Gauge } from 'prom-client';

/** SHA-256 of the normalized query: popular searches stay countable, the text is never stored. */
export function queryHash(q: string): string {
  return createHash('sha256').update(normalizeText(q)).digest('hex');
}

export interface SearchEventsOptions {
  /** A batch is written when this many events wait… */
  maxBatch: number;
  /** …or this long after the first of them arrived. */
  flushIntervalMs: number;
  /** More waiting than this (the database is slow or gone) and new events are dropped, counted. */
  maxPending: number;
}

export const SEARCH_EVENTS_OPTIONS: SearchEventsOptions = { maxBatch: 200, flushIntervalMs: 250, maxPending: 10_000 };

interface PendingSearch {
  userId: string;
  at: Date;
  resultCount: number;
  queryHash?: string;
}

/** Bound on remembered signup weeks (they never change, so entries never go stale). */
const MAX_CACHED_WEEKS = 10_000;

/**
 * UserSearched audit events, written off the request path: a search only appends to a
 * bounded in-memory buffer, which one `insertMany` per batch writes every few hundred ms.
 * A read never pays for a write nor fails because of one. What is lost on a crash is at most
 * one interval of search statistics (never a change to data); on a clean shutdown the buffer
 * is flushed, and when a batch cannot be written (database down) it is dropped with a logged
 * count. Both outcomes are counted in /metrics.
 */
@Injectable()
export class SearchEvents implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('SearchEvents');
  private readonly options: SearchEventsOptions = SEARCH_EVENTS_OPTIONS;
  private pending: PendingSearch[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  /** After shutdown began, batches are written at once: in-flight requests still finish. */
  private draining = false;
  private readonly signupWeeks = new Map<string, string>();
  private readonly outcomes: Counter<'outcome'>;
  private readonly waiting: Gauge;

  constructor(
    private readonly events: EventsRepository,
    private readonly users: UsersRepository,
    metrics: ServiceMetrics,
  ) {
    this.outcomes = new Counter({
      name: 'users_search_events_total',
      help: 'UserSearched audit events by outcome: written in a batch, or dropped (buffer full or write failed)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
    this.waiting = new Gauge({
      name: 'users_search_events_pending',
      help: 'UserSearched audit events buffered, not yet written',
      registers: [metrics.registry],
      collect: () => this.waiting.set(this.pending.length),
    });
  }

  /** Who searched and how many rows the page had; the query only as a hash. Never throws. */
  record(searcherId: string, q: string | undefined, resultCount: number): void {
    if (this.pending.length >= this.options.maxPending) {
      this.outcomes.labels('dropped').inc();
      return;
    }
    const normalized = normalizeText(q);
    this.pending.push({ userId: searcherId, at: new Date(), resultCount, ...(normalized ? { queryHash: queryHash(normalized) } : {}) });
    if (this.draining || this.pending.length >= this.options.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs).unref();
  }

  /** Writes everything buffered so far; resolves when it is written or dropped. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    // One write at a time, in order.
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  onModuleDestroy(): void {
    this.draining = true;
  }

  /** Before the connection closes (it closes in the shutdown hooks, after HTTP has drained). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async write(batch: PendingSearch[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      const weeks = await this.cohortWeeks(batch);
      // A searcher whose account is gone has no cohort to attribute the search to.
      const events: NewEvent<typeof EventKind.UserSearched>[] = batch.flatMap((search) => {
        const cohortWeek = weeks.get(search.userId);
        return cohortWeek
          ? [
              {
                userId: new Types.ObjectId(search.userId),
                cohortWeek,
                at: search.at,
                resultCount: search.resultCount,
                ...(search.queryHash && { queryHash: search.queryHash }),
              },
            ]
          : [];
      });
      await this.events.appendMany(EventKind.UserSearched, events);
      this.outcomes.labels('written').inc(events.length);
      if (events.length < batch.length) this.outcomes.labels('dropped').inc(batch.length - events.length);
    } catch (error) {
      this.outcomes.labels('dropped').inc(batch.length);
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error), dropped: batch.length },
        'could not write search events; dropped',
      );
    }
  }

  private async cohortWeeks(batch: PendingSearch[]): Promise<Map<string, string>> {
    const unknown = [...new Set(batch.map((search) => search.userId))].filter((id) => !this.signupWeeks.has(id));
    if (unknown.length > 0) {
      const found = await this.users.signupWeeks(unknown.map((id) => new Types.ObjectId(id)));
      for (const [id, week] of found) {
        if (this.signupWeeks.size >= MAX_CACHED_WEEKS) this.signupWeeks.delete(this.signupWeeks.keys().next().value as string);
        this.signupWeeks.set(id, week);
      }
    }
    return this.signupWeeks;
  }
}
