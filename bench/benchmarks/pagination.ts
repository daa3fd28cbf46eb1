import type { mongo } from 'mongoose';
import type { Benchmark } from './types';

const PAGE = 20;
const ORDER = { sortName: 1, _id: 1 } as const;
const PROJECTION = { email: 1, name: 1, displayName: 1, title: 1, department: 1, sortName: 1 } as const;

const MAX_RUNS = 15;
const MIN_RUNS = 3;
/** Timed fetches stop early after this long, so a backend that scans (FerretDB v1) finishes depth 100,000. */
const BUDGET_MS = 60_000;

/**
 * Median and worst timing of `fetch` in ms, after one untimed warm-up call: 15 runs, or fewer
 * (at least 3) once they have taken a minute.
 */
async function timeIt(fetch: () => Promise<unknown>): Promise<{ median: number; max: number; runs: number }> {
  await fetch();
  const times: number[] = [];
  let spent = 0;
  while (times.length < MAX_RUNS && (times.length < MIN_RUNS || spent < BUDGET_MS)) {
    const started = process.hrtime.bigint();
    await fetch();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    times.push(ms);
    spent += ms;
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] as number, max: times[times.length - 1] as number, runs: times.length };
}

export function paginationDepths(users: number): number[] {
  const wanted = (process.env['BENCH_DEPTHS'] ?? '0,10000,100000').split(',').map(Number);
  return wanted.filter((depth) => Number.isInteger(depth) && depth >= 0 && depth + PAGE <= users);
}

export const paginationBenchmark: Benchmark = {
  name: 'pagination',
  title: 'Pagination depth: cursor vs skip/limit',
  method:
    `One page of ${PAGE} users in directory order (sortName, _id) at several depths, with the raw driver on the seeded ` +
    'users collection, served by the index {sortName: 1, _id: 1}. Cursor: the range users-api builds from `after` ' +
    '(sortName ≥ s and (sortName > s or _id > id)); skip: .skip(depth).limit(20). The cursor key of each depth is looked ' +
    'up once before timing; both methods must return the same page (checked). Median of 15 fetches after a warm-up (fewer, at least 3, once a method has spent a minute at one depth).',
  services: [],
  async run(env) {
    const users = env.raw.collection('users') as mongo.Collection;
    const depths = paginationDepths(env.scale.users);
    const rows: (string | number)[][] = [];
    const raw: Record<number, unknown> = {};
    for (const depth of depths) {
      const skipPage = () => users.find({}, { projection: PROJECTION }).sort(ORDER).skip(depth).limit(PAGE).toArray();
      let cursorPage = skipPage;
      if (depth > 0) {
        const [before] = await users
          .find({}, { projection: { sortName: 1 } })
          .sort(ORDER)
          .skip(depth - 1)
          .limit(1)
          .toArray();
        if (!before) throw new Error(`fewer than ${depth} users`);
        const filter = {
          sortName: { $gte: before['sortName'] },
          $or: [{ sortName: { $gt: before['sortName'] } }, { _id: { $gt: before['_id'] } }],
        };
        cursorPage = () => users.find(filter, { projection: PROJECTION }).sort(ORDER).limit(PAGE).toArray();
      }
      const [a, b] = await Promise.all([cursorPage(), skipPage()]);
      if (JSON.stringify(a.map((u) => u['_id'])) !== JSON.stringify(b.map((u) => u['_id']))) {
        throw new Error(`cursor and skip disagree at depth ${depth}`);
      }
      const cursor = await timeIt(cursorPage);
      const skip = await timeIt(skipPage);
      rows.push([depth.toLocaleString('en-US'), cursor.median, skip.median, skip.median / cursor.median]);
      raw[depth] = { cursor, skip };
    }
    // Whether the server used the index at all: FerretDB v1 (SQLite) answers every filter but
    // `_id` with a full scan and sorts in memory, and then both methods cost the same.
    const plan = JSON.stringify(
      await users
        .find({ sortName: { $gte: '' } })
        .sort(ORDER)
        .limit(PAGE)
        .explain(),
    );
    const indexed = plan.includes('IXSCAN') || /USING INDEX/i.test(plan);
    const deepest = depths[depths.length - 1] ?? 0;
    const shortened = Object.entries(raw as Record<string, { cursor: { runs: number }; skip: { runs: number } }>)
      .filter(([, r]) => r.cursor.runs < MAX_RUNS || r.skip.runs < MAX_RUNS)
      .map(([depth, r]) => `depth ${Number(depth).toLocaleString('en-US')}: ${r.cursor.runs} cursor / ${r.skip.runs} skip fetches`);
    const last = raw[deepest] as { cursor: { median: number }; skip: { median: number } };
    return {
      columns: ['depth', 'cursor ms', 'skip ms', 'skip ÷ cursor'],
      rows,
      ratios: [
        {
          label: `skip ÷ cursor at depth ${deepest.toLocaleString('en-US')}`,
          value: last.skip.median / last.cursor.median,
          meaning: 'how many times slower a deep page is with skip; the cursor page costs the same at every depth',
        },
      ],
      notes: [
        indexed
          ? 'the server answered the cursor query from the index (explain: IXSCAN)'
          : 'the server did NOT use the index (explain shows a full SCAN, as FerretDB v1 does for every filter but _id): ' +
            'both methods scan and sort every user, so this ratio says nothing about MongoDB; run with MONGODB_URI or Docker for that',
        ...(shortened.length > 0 ? [`fewer than ${MAX_RUNS} timed fetches (one-minute budget) at ${shortened.join('; ')}`] : []),
        ...(depths.length < 3 ? [`depths limited to ${depths.join(', ')} by the ${env.scale.users} seeded users`] : []),
      ],
      raw,
    };
  },
};
