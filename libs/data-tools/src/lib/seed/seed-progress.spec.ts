import type { Progress } from '../shared/progress';
import { DEFAULT_PASSWORD, seedDatabase } from './seed-run';

/** A Progress that records every update as (value, total) per task. */
function recordingProgress(): { progress: Progress; updates: Record<string, { value: number; total: number }[]> } {
  const updates: Record<string, { value: number; total: number }[]> = {};
  const progress: Progress = {
    task(label, initialTotal) {
      const log: { value: number; total: number }[] = (updates[label] = []);
      let value = 0;
      let total = initialTotal;
      return {
        increment: (by) => {
          value += by;
          log.push({ value, total });
        },
        setTotal: (next) => {
          total = next;
        },
      };
    },
    stop: () => undefined,
  };
  return { progress, updates };
}

describe('seed progress (dry run, no database)', () => {
  it('reaches 100% once per bar, at the end, with the total equal to what was generated', async () => {
    const { progress, updates } = recordingProgress();
    const result = await seedDatabase(null, {
      users: 1_000,
      days: 30,
      seed: 'progress',
      until: '2026-01-31',
      password: DEFAULT_PASSWORD,
      batchSize: 200,
      progress,
    });
    expect(result.eventsByKind['LoginFailed']).toBeGreaterThan(0);
    const expected = { users: result.users.generated, events: result.events.generated, activities: result.activities.generated };
    for (const [label, generated] of Object.entries(expected)) {
      const log = updates[label] ?? [];
      expect(log.at(-1)).toEqual({ value: generated, total: generated });
      // A bar that hits its total early prints "100% … in 11m" and then keeps counting.
      expect(log.filter((update) => update.value >= update.total)).toHaveLength(1);
    }
  });
});
