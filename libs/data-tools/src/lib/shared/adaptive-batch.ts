import { MongoErrorCode } from '@directory/connections';
import { formatCount, formatDuration } from './format';

/**
 * Batch sizes that follow the server (PRINCIPLES.md #2, slow trains): a batch is one operation on
 * one socket, and a server that needs seconds for it (index maintenance on a large collection,
 * a busy disk) holds that socket and every client queued behind it. So a slow batch halves the
 * next one, and only a run of fast batches lets the size grow back, by a quarter at a time, never
 * above what the operator asked for and never below a floor where per-batch overhead dominates.
 *
 * The rule itself is the pure `nextBatchSizing`; `AdaptiveBatchSize` keeps its state and counts.
 */
export interface BatchPolicy {
  /** The size asked for (`--batch-size`): where it starts and the most it grows back to. */
  max: number;
  /** The floor: never smaller than this (unless `max` is smaller). */
  min: number;
  /** A batch that took longer than this halves the size. */
  slowMs: number;
  /** A batch faster than this counts towards growing again. */
  fastMs: number;
  /** Consecutive fast batches before the size grows. */
  growAfter: number;
  /** Growth factor then (> 1). */
  growth: number;
}

/** Above this a batch is slow: well inside any socket timeout, and short enough to share a server. */
export const SLOW_BATCH_MS = 2_000;
export const FAST_BATCH_MS = 500;
export const MIN_BATCH_SIZE = 50;

export function batchPolicy(max: number, overrides: Partial<Omit<BatchPolicy, 'max'>> = {}): BatchPolicy {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`batch size must be a positive integer, got ${max}`);
  return {
    slowMs: SLOW_BATCH_MS,
    fastMs: FAST_BATCH_MS,
    growAfter: 3,
    growth: 1.25,
    ...overrides,
    max,
    min: Math.min(max, overrides.min ?? MIN_BATCH_SIZE),
  };
}

export interface BatchSizing {
  size: number;
  /** Fast batches in a row since the size last changed or a batch was not fast. */
  fastStreak: number;
}

/** How a batch went: its duration, or a timeout (nothing is known about what it wrote). */
export type BatchOutcome = { elapsedMs: number } | { timedOut: true };

export function initialSizing(policy: BatchPolicy): BatchSizing {
  return { size: policy.max, fastStreak: 0 };
}

/**
 * The size of the next batch after one that went as `outcome`. Pure: no clock, no I/O.
 * - timed out or slower than `slowMs`: half the size (not below `min`), streak reset;
 * - faster than `fastMs`: one more in the streak; after `growAfter` of them the size grows by
 *   `growth` (at least by one, at most to `max`) and the streak starts again;
 * - in between: same size, streak reset.
 */
export function nextBatchSizing(current: BatchSizing, outcome: BatchOutcome, policy: BatchPolicy): BatchSizing {
  const size = Math.min(policy.max, Math.max(policy.min, current.size));
  if ('timedOut' in outcome || outcome.elapsedMs > policy.slowMs) {
    return { size: Math.max(policy.min, Math.floor(size / 2)), fastStreak: 0 };
  }
  if (outcome.elapsedMs >= policy.fastMs) return { size, fastStreak: 0 };
  if (size >= policy.max) return { size, fastStreak: 0 };
  const fastStreak = current.fastStreak + 1;
  if (fastStreak < policy.growAfter) return { size, fastStreak };
  return { size: Math.min(policy.max, Math.max(size + 1, Math.floor(size * policy.growth))), fastStreak: 0 };
}

export interface BatchStats {
  batches: number;
  /** Batches slower than the policy's `slowMs`. */
  slow: number;
  /** Batches that failed with a timeout (and were retried smaller, or ended the run). */
  timeouts: number;
  /** Smallest size used; equals the policy's max when nothing was ever slow. */
  smallest: number;
}

/** The state of `nextBatchSizing` for one stream of batches (one collection), with counts for the summary. */
export class AdaptiveBatchSize {
  private sizing: BatchSizing;
  readonly stats: BatchStats;

  constructor(readonly policy: BatchPolicy) {
    this.sizing = initialSizing(policy);
    this.stats = { batches: 0, slow: 0, timeouts: 0, smallest: policy.max };
  }

  get size(): number {
    return this.sizing.size;
  }

  /** A batch completed in `elapsedMs`. */
  record(elapsedMs: number): void {
    this.stats.batches++;
    if (elapsedMs > this.policy.slowMs) this.stats.slow++;
    this.move({ elapsedMs });
  }

  /** A batch timed out: halves the size. False when it already was at the floor (nothing left to try). */
  timedOut(): boolean {
    this.stats.timeouts++;
    const before = this.sizing.size;
    this.move({ timedOut: true });
    return this.sizing.size < before;
  }

  private move(outcome: BatchOutcome): void {
    this.sizing = nextBatchSizing(this.sizing, outcome, this.policy);
    this.stats.smallest = Math.min(this.stats.smallest, this.sizing.size);
  }
}

/** One line for a summary: "users 2,000 → 500 (3 slow batches of 42)", or undefined when nothing adapted. */
export function describeAdaptation(label: string, stats: BatchStats, policy: BatchPolicy): string | undefined {
  if (stats.slow === 0 && stats.timeouts === 0) return undefined;
  const timeouts = stats.timeouts > 0 ? `, ${stats.timeouts} timed out` : '';
  return `${label}: batches down to ${formatCount(stats.smallest)} from ${formatCount(policy.max)} (${stats.slow} slow of ${stats.batches}${timeouts})`;
}

const TIMEOUT_ERROR_NAMES = new Set(['MongoNetworkTimeoutError', 'MongoOperationTimeoutError']);
/** MaxTimeMSExpired, NetworkTimeout, ExceededTimeLimit. */
const TIMEOUT_CODES = new Set<number>([MongoErrorCode.MaxTimeExpired, 89, 262]);

/**
 * Did this operation fail by running out of time (the driver's socket or operation timeout, or
 * the server's time limit)? By name and code rather than `instanceof`: the workspace holds more
 * than one copy of the driver. Looks through `cause` (a bulk write error wraps what it met).
 */
export function isTimeoutError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (TIMEOUT_ERROR_NAMES.has(e.name)) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && TIMEOUT_CODES.has(code)) return true;
    if (/\btimed out\b/i.test(e.message)) return true;
  }
  return false;
}

/**
 * What to do after a batch of `size` timed out: `rerun` (how to run the tool again; all of them
 * are idempotent) or smaller batches, and, at the floor, where else a timeout can come from.
 */
export function timeoutRemedy(rerun: string, size: number): string {
  const smaller = `${rerun}, or with smaller batches: --batch-size ${Math.max(1, Math.floor(size / 2))}.`;
  return size > MIN_BATCH_SIZE
    ? smaller
    : `${smaller} A batch this small should not time out: the bulk tools' connection sets no socket timeout, so the ` +
        'server is overloaded or something between it and here (a proxy, a firewall) cuts slow requests.';
}

export interface BatchDescription {
  /** The collection written. */
  collection: string;
  /** Which tool wrote it, for the message: "seed", "import". */
  tool: string;
  /** What the ordinals count: "documents", "rows". */
  unit: string;
  /** 1-based ordinals of the batch's first and last item in what this run wrote to the collection (or read from the file). */
  first: number;
  last: number;
  size: number;
  /** 1-based number of the batch in this run, for this collection. */
  batch: number;
  elapsedMs: number;
  /** What to do now, in the tool's own words (re-run, --batch-size …). */
  remedy: string;
}

/**
 * A batch that ran out of time even at the size it had adapted to. It names the batch (which
 * collection, which range, how many) and says what to do; the driver's error is its `cause`.
 */
export class BatchTimeoutError extends Error {
  override readonly name = 'BatchTimeoutError';

  constructor(
    readonly batch: BatchDescription,
    cause: unknown,
  ) {
    super(
      `${batch.tool}: the insert into "${batch.collection}" of ${batch.unit} ${formatCount(batch.first)}–${formatCount(batch.last)} ` +
        `(batch ${batch.batch}, ${formatCount(batch.size)} ${batch.unit}) timed out after ` +
        `${batch.elapsedMs < 1_000 ? `${Math.round(batch.elapsedMs)} ms` : formatDuration(batch.elapsedMs)}: ` +
        `${cause instanceof Error ? cause.message : String(cause)}. ${batch.remedy}`,
      { cause },
    );
  }
}

export interface AdaptiveWriteOptions<T> {
  sizer: AdaptiveBatchSize;
  /** Writes one batch; throws on failure. */
  write: (batch: readonly T[]) => Promise<void>;
  /**
   * Whether a batch that timed out may simply be written again, smaller. Only for writes where a
   * repeat is harmless (the seed: derived ids, duplicates skipped); otherwise the first timeout
   * is reported.
   */
  retryAfterTimeout: boolean;
  /** Everything about the batch but its position and size, for BatchTimeoutError. */
  describe: (position: Pick<BatchDescription, 'first' | 'last' | 'size' | 'batch' | 'elapsedMs'>) => BatchDescription;
  /** Injected for tests; Date.now otherwise. */
  clock?: () => number;
}

/**
 * Writes `items` in batches the sizer picks, from `offset` (their ordinals in the whole run, for
 * messages). A timeout halves the size and, where allowed, writes the same items again; at the
 * floor, or when a retry is not allowed, it becomes a BatchTimeoutError naming the batch.
 */
export async function writeAdaptively<T>(items: readonly T[], offset: number, options: AdaptiveWriteOptions<T>): Promise<void> {
  const clock = options.clock ?? Date.now;
  const { sizer } = options;
  for (let from = 0; from < items.length; ) {
    const batch = items.slice(from, from + sizer.size);
    const started = clock();
    try {
      await options.write(batch);
    } catch (error) {
      if (!isTimeoutError(error)) throw error;
      const elapsedMs = clock() - started;
      const number = sizer.stats.batches + 1;
      if (sizer.timedOut() && options.retryAfterTimeout) continue;
      const first = offset + from + 1;
      throw new BatchTimeoutError(
        options.describe({ first, last: first + batch.length - 1, size: batch.length, batch: number, elapsedMs }),
        error,
      );
    }
    sizer.record(clock() - started);
    from += batch.length;
  }
}
