import {
  AdaptiveBatchSize,
  BatchTimeoutError,
  batchPolicy,
  initialSizing,
  isTimeoutError,
  nextBatchSizing,
  timeoutRemedy,
  writeAdaptively,
  type BatchOutcome,
  type BatchSizing,
} from './adaptive-batch';

// Durations here are inputs to a pure function (or a fake clock), never measured: no test
// depends on how fast this machine is.
const policy = batchPolicy(2_000, { slowMs: 2_000, fastMs: 500, growAfter: 3, growth: 1.25, min: 50 });
const slow: BatchOutcome = { elapsedMs: 12_000 };
const fast: BatchOutcome = { elapsedMs: 100 };
const middling: BatchOutcome = { elapsedMs: 1_000 };

function run(outcomes: BatchOutcome[], from: BatchSizing = initialSizing(policy)): number[] {
  const sizes: number[] = [];
  let state = from;
  for (const outcome of outcomes) {
    state = nextBatchSizing(state, outcome, policy);
    sizes.push(state.size);
  }
  return sizes;
}

/** A driver-like timeout, by name as the driver's class reports it. */
function socketTimeout(): Error {
  const error = new Error('connection 3 to 127.0.0.1:27017 timed out');
  error.name = 'MongoNetworkTimeoutError';
  return error;
}

describe('nextBatchSizing', () => {
  it('starts at the size asked for and keeps it while batches are fast', () => {
    expect(initialSizing(policy)).toEqual({ size: 2_000, fastStreak: 0 });
    expect(run([fast, fast, fast, fast, fast])).toEqual([2_000, 2_000, 2_000, 2_000, 2_000]);
  });

  it('halves after each slow batch, down to the floor and no further', () => {
    expect(run([slow, slow, slow, slow, slow, slow, slow])).toEqual([1_000, 500, 250, 125, 62, 50, 50]);
  });

  it('treats a timeout like a slow batch', () => {
    expect(nextBatchSizing({ size: 800, fastStreak: 2 }, { timedOut: true }, policy)).toEqual({ size: 400, fastStreak: 0 });
  });

  it('grows back slowly: by a quarter after three fast batches in a row, never above the size asked for', () => {
    const sizes = run([slow, slow, ...Array<BatchOutcome>(30).fill(fast)]);
    expect(sizes.slice(0, 8)).toEqual([1_000, 500, 500, 500, 625, 625, 625, 781]);
    expect(Math.max(...sizes)).toBe(2_000);
    expect(sizes[sizes.length - 1]).toBe(2_000);
  });

  it('a batch neither slow nor fast keeps the size and restarts the streak', () => {
    expect(run([slow, fast, fast, middling, fast, fast, fast])).toEqual([1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_250]);
  });

  it('grows by at least one from a tiny size', () => {
    const tiny = batchPolicy(10, { min: 1 });
    let state: BatchSizing = { size: 1, fastStreak: 0 };
    for (let i = 0; i < 3; i++) state = nextBatchSizing(state, fast, tiny);
    expect(state.size).toBe(2);
  });

  it('never goes below a floor larger than the size asked for, nor above that size', () => {
    const small = batchPolicy(20);
    expect(small.min).toBe(20);
    expect(nextBatchSizing(initialSizing(small), slow, small).size).toBe(20);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => batchPolicy(0)).toThrow(RangeError);
    expect(() => batchPolicy(1.5)).toThrow(RangeError);
  });
});

describe('isTimeoutError', () => {
  it('knows the driver timeouts by name, server time limits by code, and looks through causes', () => {
    expect(isTimeoutError(socketTimeout())).toBe(true);
    expect(isTimeoutError(Object.assign(new Error('operation exceeded time limit'), { code: 50 }))).toBe(true);
    expect(isTimeoutError(new Error('bulk write failed', { cause: socketTimeout() }))).toBe(true);
    expect(isTimeoutError(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }))).toBe(false);
    expect(isTimeoutError('timed out')).toBe(false);
  });
});

describe('timeoutRemedy', () => {
  it('suggests re-running or half the size that failed; at the floor, where else a timeout comes from', () => {
    expect(timeoutRemedy('Run it again', 800)).toBe('Run it again, or with smaller batches: --batch-size 400.');
    expect(timeoutRemedy('Run it again', 50)).toMatch(
      /^Run it again, or with smaller batches: --batch-size 25\. A batch this small .*proxy/,
    );
  });
});

describe('writeAdaptively', () => {
  /** A clock that advances only when told to: elapsed times are scripted. */
  function fakeClock() {
    let now = 0;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  }

  it('writes everything in order, halving after a slow batch', async () => {
    const clock = fakeClock();
    const sizer = new AdaptiveBatchSize(batchPolicy(4, { min: 1 }));
    const seen: number[][] = [];
    await writeAdaptively([1, 2, 3, 4, 5, 6, 7, 8, 9], 0, {
      sizer,
      retryAfterTimeout: false,
      clock: clock.now,
      describe: () => {
        throw new Error('not reached');
      },
      write: async (batch) => {
        seen.push([...batch]);
        clock.advance(seen.length === 1 ? 5_000 : 10);
      },
    });
    expect(seen).toEqual([[1, 2, 3, 4], [5, 6], [7, 8], [9]]);
    expect(sizer.stats).toMatchObject({ batches: 4, slow: 1, timeouts: 0, smallest: 2 });
  });

  it('retries a timed-out batch smaller when a repeat is harmless', async () => {
    const sizer = new AdaptiveBatchSize(batchPolicy(8, { min: 2 }));
    const attempts: number[] = [];
    const written: number[] = [];
    await writeAdaptively(
      Array.from({ length: 8 }, (_, i) => i),
      0,
      {
        sizer,
        retryAfterTimeout: true,
        clock: fakeClock().now,
        describe: () => {
          throw new Error('not reached');
        },
        write: async (batch) => {
          attempts.push(batch.length);
          if (batch.length > 2) throw socketTimeout();
          written.push(...batch);
        },
      },
    );
    expect(attempts).toEqual([8, 4, 2, 2, 2, 2]);
    expect(written).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sizer.stats.timeouts).toBe(2);
  });

  it('at the floor, a timeout names the batch and says what to do', async () => {
    const clock = fakeClock();
    const sizer = new AdaptiveBatchSize(batchPolicy(4, { min: 2 }));
    let calls = 0;
    const writing = writeAdaptively(
      Array.from({ length: 10 }, (_, i) => i),
      100,
      {
        sizer,
        retryAfterTimeout: true,
        clock: clock.now,
        describe: (position) => ({ ...position, collection: 'events', tool: 'seed', unit: 'documents', remedy: 'Run it again.' }),
        write: async () => {
          calls++;
          clock.advance(10_000);
          if (calls >= 2) throw socketTimeout();
        },
      },
    );
    const error = (await writing.catch((e: unknown) => e)) as BatchTimeoutError;
    expect(error).toBeInstanceOf(BatchTimeoutError);
    // The first batch (items 101-104) went through but slowly, so the next had 2, the floor: no retry left.
    expect(error.batch).toMatchObject({ collection: 'events', first: 105, last: 106, size: 2, batch: 2, elapsedMs: 10_000 });
    expect(error.message).toBe(
      'seed: the insert into "events" of documents 105–106 (batch 2, 2 documents) timed out after 10.0s: ' +
        'connection 3 to 127.0.0.1:27017 timed out. Run it again.',
    );
    expect((error.cause as Error).name).toBe('MongoNetworkTimeoutError');
  });

  it('without retries, the first timeout is reported and other errors pass through untouched', async () => {
    const base = {
      clock: fakeClock().now,
      describe: (p: { first: number; last: number; size: number; batch: number; elapsedMs: number }) => ({
        ...p,
        collection: 'users',
        tool: 'import',
        unit: 'rows',
        remedy: '',
      }),
    };
    const timedOut = writeAdaptively([1, 2, 3], 0, {
      ...base,
      sizer: new AdaptiveBatchSize(batchPolicy(3, { min: 1 })),
      retryAfterTimeout: false,
      write: async () => {
        throw socketTimeout();
      },
    });
    await expect(timedOut).rejects.toMatchObject({ batch: { first: 1, last: 3, size: 3 } });
    const refused = new Error('E11000 duplicate key');
    const other = writeAdaptively([1], 0, {
      ...base,
      sizer: new AdaptiveBatchSize(batchPolicy(3)),
      retryAfterTimeout: true,
      write: async () => {
        throw refused;
      },
    });
    await expect(other).rejects.toBe(refused);
  });
});
