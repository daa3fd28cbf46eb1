import { ratioOf, runLoad, thinRunNotes, type LoadOptions, type LoadResult } from '../lib/load';
import { searchPrefixes, startBaseline } from '../lib/baseline';
import type { Benchmark } from './types';

/**
 * Analytics loops, the same number in B and in C. A round is one analytics request's worth:
 * its two pipelines at once (AnalyticsService runs them with Promise.all, the control does the
 * same), so 2 loops keep 4 aggregations in flight — as many as the slow role's pool has sockets,
 * and the same load on the database in both designs.
 */
const LOOPS = 2;
const AGGREGATIONS_PER_ROUND = 2;
/** The breakdown request's `limit` (its default), in B's URL and the control's pipeline alike. */
const BREAKDOWN_LIMIT = 10;
/** GET /analytics/cohorts accepts weeks up to 104. */
const MAX_WEEKS = 104;
/** The control's socket timeout: longer than the bench's analytics budget (ANALYTICS_MAX_TIME_MS). */
const CONTROL_SOCKET_TIMEOUT_MS = 130_000;

/**
 * Cohort weeks that scale with the seeded data: a window of weeks + 1 whole weeks from the first
 * seeded day spans the period (182 days → 25, i.e. 26 cohort weeks), so a larger data set gives
 * larger aggregations.
 */
export function cohortWeeks(days: number): number {
  return Math.max(0, Math.min(MAX_WEEKS, Math.floor(days / 7) - 1));
}

/** The control's pool: BENCH_SHARED_POOL, else one socket per concurrent search (--connections). */
export function sharedPoolSize(connections: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env['BENCH_SHARED_POOL']);
  return Number.isInteger(value) && value > 0 ? value : connections;
}

interface RoundCount {
  ok: number;
  failed: number;
}

/** Endless alternating cohorts and breakdown requests in `loops` loops; counts answers (= rounds). */
function analyticsLoops(url: string, token: string, paths: readonly string[], loops: number) {
  let stopping = false;
  const count: RoundCount = { ok: 0, failed: 0 };
  let lastError = '';
  const loop = async (offset: number) => {
    for (let turn = offset; !stopping; turn++) {
      try {
        const response = await fetch(`${url}${paths[turn % paths.length]}`, { headers: { authorization: `Bearer ${token}` } });
        const body = await response.text();
        if (response.ok) count.ok++;
        else {
          count.failed++;
          lastError = `${response.status} ${body.slice(0, 200)}`;
        }
      } catch (error) {
        count.failed++;
        lastError = (error as Error).message;
      }
    }
  };
  const running = Array.from({ length: loops }, (_, i) => loop(i));
  return {
    counts: (): RoundCount => ({ ...count }),
    lastError: () => lastError,
    async stop(): Promise<void> {
      stopping = true;
      await Promise.all(running);
    },
  };
}

async function timed(fetchIt: () => Promise<Response>, what: string): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetchIt();
  const body = await response.text();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${body.slice(0, 300)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const during = (before: RoundCount, after: RoundCount): RoundCount => ({ ok: after.ok - before.ok, failed: after.failed - before.failed });

export const slowTrainsBenchmark: Benchmark = {
  name: 'slow-trains',
  title: 'Slow trains: search latency while analytics aggregates',
  method:
    'users-api GET /users?q=<prefix>&limit=20 under autocannon load, (A) alone and (B) while ' +
    `${LOOPS} loops request GET /analytics/cohorts?from=<first seeded day>&weeks=<whole weeks seeded − 1> and ` +
    `/analytics/breakdown?by=department&limit=${BREAKDOWN_LIMIT} from admin-analytics back to back (answer cache off, so every ` +
    `request aggregates; each runs its ${AGGREGATIONS_PER_ROUND} pipelines at once, so ${LOOPS * AGGREGATIONS_PER_ROUND} aggregations ` +
    "are in flight: admin-analytics' small `slow` pool). The cohort window covers the seeded period, so the aggregations grow " +
    'with the data (about a second each at 100,000 users and 26 weeks on MongoDB; the probe times them). Control: users-api ' +
    'cannot be made to share its pool without changing it, so the control is the search baseline process ' +
    '(bench/baseline/search-server.ts: same query, raw driver, a `fast`-role connection) measured (C0) alone and (C) while the ' +
    `same ${LOOPS} loops run the same requests — admin-analytics' own cohort window and pipeline builders, two pipelines at ` +
    'once — on that same pool, i.e. what happens when analytics shares the search pool. The shared pool has one socket per ' +
    'concurrent search (--connections, or BENCH_SHARED_POOL): enough for the searches alone, so every socket an aggregation ' +
    "holds is one a search waits for (users-api's own 50 would leave room for both at this load: a pool only queues once it " +
    'is full, which more analytics would make it). Both designs get the same analytics demand, and the table counts the ' +
    "rounds (one request's worth) each completed during its load run. B/A is the cost of analytics with the isolated " +
    'design, C/C0 the cost when the pool is shared. On one machine all of them also share CPU and the database server, ' +
    'which no pool separation can remove.',
  services: ['auth-api', 'users-api', 'admin-analytics'],
  async run(env) {
    const services = await env.start('auth-api', 'users-api', 'admin-analytics');
    const auth = services['auth-api'];
    const usersApi = services['users-api'];
    const analytics = services['admin-analytics'];
    if (!auth || !usersApi || !analytics) throw new Error('services did not start');
    const seeded = env.seeded;
    if (!seeded) throw new Error('not seeded');
    const weeks = cohortWeeks(env.scale.days);
    const [member] = await env.activeMembers(1);
    const memberToken = await env.login(auth.url, member as string);
    const adminToken = await env.login(auth.url, seeded.adminEmail);
    const analyticsPaths = [
      `/analytics/cohorts?from=${seeded.firstDay}&weeks=${weeks}`,
      `/analytics/breakdown?by=department&limit=${BREAKDOWN_LIMIT}`,
    ];
    // One of each alone, before any load: how long an aggregation round takes on this data.
    const admin = { authorization: `Bearer ${adminToken}` };
    const cohortsMs = await timed(() => fetch(`${analytics.url}${analyticsPaths[0]}`, { headers: admin }), 'GET /analytics/cohorts');
    const breakdownMs = await timed(() => fetch(`${analytics.url}${analyticsPaths[1]}`, { headers: admin }), 'GET /analytics/breakdown');

    const paths = (await searchPrefixes(env)).map((q) => `/users?q=${encodeURIComponent(q)}&limit=20`);
    const load = (label: string, url: string, headers?: LoadOptions['headers'], seconds = env.scale.duration) =>
      runLoad({ label, url, paths, headers, connections: env.scale.connections, durationSeconds: seconds });
    const bearer = { authorization: `Bearer ${memberToken}` };

    await load('warm-up', usersApi.url, bearer, 3);
    const alone = await load('A  users-api alone', usersApi.url, bearer);
    const loops = analyticsLoops(analytics.url, adminToken, analyticsPaths, LOOPS);
    const beforeB = loops.counts();
    const withAnalytics = await load('B  users-api + admin-analytics loops', usersApi.url, bearer);
    const roundsB = during(beforeB, loops.counts());
    await loops.stop();
    const errorB = loops.lastError();
    await env.stopServices();

    const pool = sharedPoolSize(env.scale.connections);
    const baseline = await startBaseline(env, {
      COHORT_FROM: seeded.firstDay,
      COHORT_WEEKS: String(weeks),
      BREAKDOWN_LIMIT: String(BREAKDOWN_LIMIT),
      POOL_SIZE: String(pool),
      SOCKET_TIMEOUT_MS: String(CONTROL_SOCKET_TIMEOUT_MS),
    });
    type Stats = { rounds: number; failed: number; lastError: string; firstWeek: string; lastWeek: string };
    const control = async (path: string) => (await (await fetch(`${baseline.url}${path}`)).json()) as Stats;
    let controlAlone: LoadResult;
    let controlShared: LoadResult;
    let roundsC: RoundCount;
    let window: Stats;
    try {
      await load('warm-up', baseline.url, undefined, 3);
      controlAlone = await load('C0 baseline alone', baseline.url);
      const beforeC = await control(`/analytics/start?loops=${LOOPS}`);
      controlShared = await load('C  baseline + same pipelines in its pool', baseline.url);
      const afterC = await control('/stats');
      roundsC = during({ ok: beforeC.rounds, failed: beforeC.failed }, { ok: afterC.rounds, failed: afterC.failed });
      window = await control('/analytics/stop');
    } finally {
      await baseline.stop();
    }

    const runs = [alone, withAnalytics, controlAlone, controlShared];
    const perSecond = (rounds: number) => (rounds / env.scale.duration).toFixed(2);
    const row = (r: LoadResult, rounds: number | string) => [r.label, r.rps, r.p50, r.p99, r.failures, rounds];
    return {
      columns: ['run', 'req/s', 'p50 ms', 'p99 ms', 'failures', 'analytics rounds'],
      rows: [row(alone, ''), row(withAnalytics, roundsB.ok), row(controlAlone, ''), row(controlShared, roundsC.ok)],
      ratios: [
        {
          label: 'p99 B ÷ A (analytics on its own slow pool)',
          value: ratioOf(withAnalytics, alone, 'p99'),
          meaning: '1.0 = analytics does not slow search down at all (analytics rounds meanwhile: the table)',
        },
        {
          label: 'p99 C ÷ C0 (analytics in the search pool)',
          value: ratioOf(controlShared, controlAlone, 'p99'),
          meaning: 'the same analytics demand sharing the search pool (rounds it completed: the table)',
        },
      ],
      notes: [
        `analytics rounds (one request's ${AGGREGATIONS_PER_ROUND} pipelines) completed during the ${env.scale.duration} s of load, ` +
          `${LOOPS} loops in both: B ${roundsB.ok} (${perSecond(roundsB.ok)}/s, ${roundsB.failed} failed) on admin-analytics' slow pool; ` +
          `C ${roundsC.ok} (${perSecond(roundsC.ok)}/s, ${roundsC.failed} failed) in the search pool`,
        `one request alone before the load: cohorts ${Math.round(cohortsMs)} ms (${weeks + 1} cohort weeks ${window.firstWeek}…${window.lastWeek} ` +
          `over ${env.scale.users.toLocaleString('en-US')} users), breakdown by department ${Math.round(breakdownMs)} ms`,
        `the control's shared pool: ${pool} sockets for ${env.scale.connections} concurrent searches and up to ` +
          `${LOOPS * AGGREGATIONS_PER_ROUND} aggregations; users-api's fast pool: 50, admin-analytics' slow pool: 4`,
        'p99 values: ' + runs.map((r) => `${r.label.split(' ')[0]} ${r.p99} ms`).join(', '),
        ...(roundsB.ok + roundsB.failed === 0 || roundsC.ok + roundsC.failed === 0
          ? ['an analytics round outlasted a whole load run: raise --duration for counts that mean something']
          : []),
        ...(roundsB.failed > 0 ? [`B: analytics failures, the last: ${errorB}`] : []),
        ...(roundsC.failed > 0 ? [`C: analytics failures, the last: ${window.lastError}`] : []),
        ...thinRunNotes(runs),
        ...runs.filter((r) => r.failures > 0).map((r) => `${r.label}: ${r.failures} failed requests`),
      ],
      raw: {
        alone,
        during: withAnalytics,
        controlAlone,
        controlShared,
        roundsB,
        roundsC,
        cohortsMs,
        breakdownMs,
        weeks,
        loops: LOOPS,
        pool,
      },
    };
  },
};
