import { ratioOf, runLoad, thinRunNotes, type LoadOptions, type LoadResult } from '../lib/load';
import { searchPrefixes, startBaseline } from '../lib/baseline';
import type { Benchmark } from './types';

/** Concurrent aggregation loops: as many as the slow role's pool has sockets (4). */
const LOOPS = 4;
const WEEKS = 8;

/** Endless alternating GET /analytics/cohorts and /analytics/breakdown, until stop() resolves their counts. */
function analyticsLoops(url: string, token: string, from: string, loops: number) {
  let stopping = false;
  let ok = 0;
  let failed = 0;
  const paths = [`/analytics/cohorts?from=${from}&weeks=${WEEKS}`, '/analytics/breakdown?by=department'];
  const loop = async (offset: number) => {
    for (let turn = offset; !stopping; turn++) {
      try {
        const response = await fetch(`${url}${paths[turn % 2]}`, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        if (response.ok) ok++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  const running = Array.from({ length: loops }, (_, i) => loop(i));
  return {
    async stop() {
      stopping = true;
      await Promise.all(running);
      return { ok, failed };
    },
  };
}

const row = (r: LoadResult) => [r.label, r.rps, r.p50, r.p99, r.failures];

export const slowTrainsBenchmark: Benchmark = {
  name: 'slow-trains',
  title: 'Slow trains: search latency while analytics aggregates',
  method:
    'users-api GET /users?q=<prefix>&limit=20 under autocannon load, (A) alone and (B) while ' +
    `${LOOPS} loops request GET /analytics/cohorts?from=<first seeded day>&weeks=${WEEKS} and ` +
    '/analytics/breakdown?by=department from admin-analytics back to back (answer cache off, so every request aggregates on ' +
    'its small `slow` pool). Control: users-api cannot be made to share its pool without changing it, so the control is ' +
    'the search baseline process (bench/baseline/search-server.ts: same query, raw driver, a `fast`-role connection with ' +
    "users-api's pool size) measured (C0) alone and (C) while the same pipelines — admin-analytics' own pipeline builders — " +
    `run in ${LOOPS} loops on that same connection pool, i.e. what happens when analytics shares the search pool. B/A is the ` +
    'cost of analytics with the isolated design; C/C0 the cost when the pool is shared. On one machine all of them also ' +
    'share CPU and the database server, which no pool separation can remove.',
  services: ['auth-api', 'users-api', 'admin-analytics'],
  async run(env) {
    const services = await env.start('auth-api', 'users-api', 'admin-analytics');
    const auth = services['auth-api'];
    const usersApi = services['users-api'];
    const analytics = services['admin-analytics'];
    if (!auth || !usersApi || !analytics) throw new Error('services did not start');
    const seeded = env.seeded;
    if (!seeded) throw new Error('not seeded');
    const [member] = await env.activeMembers(1);
    const memberToken = await env.login(auth.url, member as string);
    const adminToken = await env.login(auth.url, seeded.adminEmail);
    const probe = await fetch(`${analytics.url}/analytics/cohorts?from=${seeded.firstDay}&weeks=${WEEKS}`, { headers: { authorization: `Bearer ${adminToken}` } });
    if (!probe.ok) throw new Error(`GET /analytics/cohorts answered ${probe.status}: ${(await probe.text()).slice(0, 300)}`);

    const paths = (await searchPrefixes(env)).map((q) => `/users?q=${encodeURIComponent(q)}&limit=20`);
    const load = (label: string, url: string, headers?: LoadOptions['headers'], seconds = env.scale.duration) =>
      runLoad({ label, url, paths, headers, connections: env.scale.connections, durationSeconds: seconds });
    const bearer = { authorization: `Bearer ${memberToken}` };

    await load('warm-up', usersApi.url, bearer, 3);
    const alone = await load('A  users-api alone', usersApi.url, bearer);
    const loops = analyticsLoops(analytics.url, adminToken, seeded.firstDay, LOOPS);
    const during = await load('B  users-api + admin-analytics loops', usersApi.url, bearer);
    const analyticsCount = await loops.stop();
    await env.stopServices();

    const controlEnv = { COHORT_FROM: seeded.firstDay, COHORT_WEEKS: String(WEEKS) };
    let controlAlone: LoadResult;
    let controlShared: LoadResult;
    let inPool = 0;
    let baseline = await startBaseline(env, { ...controlEnv, AGGREGATION_LOOPS: '0' });
    try {
      await load('warm-up', baseline.url, undefined, 3);
      controlAlone = await load('C0 baseline alone', baseline.url);
    } finally {
      await baseline.stop();
    }
    baseline = await startBaseline(env, { ...controlEnv, AGGREGATION_LOOPS: String(LOOPS) });
    try {
      const before = ((await (await fetch(`${baseline.url}/stats`)).json()) as { aggregations: number }).aggregations;
      controlShared = await load('C  baseline + same pipelines in its pool', baseline.url);
      inPool = ((await (await fetch(`${baseline.url}/stats`)).json()) as { aggregations: number }).aggregations - before;
    } finally {
      await baseline.stop();
    }
    return {
      columns: ['run', 'req/s', 'p50 ms', 'p99 ms', 'failures'],
      rows: [row(alone), row(during), row(controlAlone), row(controlShared)],
      ratios: [
        { label: 'p99 B ÷ A (analytics on its own slow pool)', value: ratioOf(during, alone, 'p99'), meaning: '1.0 = analytics does not slow search down at all' },
        { label: 'p99 C ÷ C0 (analytics in the search pool)', value: ratioOf(controlShared, controlAlone, 'p99'), meaning: 'the same aggregations sharing the search pool' },
      ],
      notes: [
        `analytics requests completed during B: ${analyticsCount.ok} (failed ${analyticsCount.failed}); aggregation rounds in the control's pool during C: ${inPool}`,
        'p99 values: ' + [alone, during, controlAlone, controlShared].map((r) => `${r.label.split(' ')[0]} ${r.p99} ms`).join(', '),
        ...thinRunNotes([alone, during, controlAlone, controlShared]),
        ...[alone, during, controlAlone, controlShared].filter((r) => r.failures > 0).map((r) => `${r.label}: ${r.failures} failed requests`),
      ],
      raw: { alone, during, controlAlone, controlShared, analyticsCount, inPool },
    };
  },
};
