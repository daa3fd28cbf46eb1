import { ratioOf, runLoad, thinRunNotes, type LoadResult } from '../lib/load';
import { searchPrefixes, startBaseline } from '../lib/baseline';
import type { Benchmark } from './types';

export const searchBenchmark: Benchmark = {
  name: 'search',
  title: 'Search throughput and latency: users-api vs a raw-driver baseline',
  method:
    "GET /users?q=<prefix>&limit=20 with a member's Bearer token through users-api, then the same requests against a " +
    'minimal node:http handler (bench/baseline/search-server.ts) that runs the same indexed query ' +
    '({searchPrefixes: prefix, status ∈ visible} sorted by (sortName, _id), limit 20, the user-view projection) with the raw ' +
    'driver on a fast-role connection to the same database. Prefixes (2-3 letters) cycle over 40 taken from the data. ' +
    'Each contender gets a 3 s warm-up. The baseline skips what users-api adds: JWT verification against the JWKS, the ' +
    'revocation check, DTO validation, logging, metrics, the exception filter.',
  services: ['auth-api', 'users-api'],
  async run(env) {
    const { 'users-api': usersApi, 'auth-api': auth } = await env.start('auth-api', 'users-api');
    if (!usersApi || !auth) throw new Error('services did not start');
    const [member] = await env.activeMembers(1);
    const token = await env.login(auth.url, member as string);
    const prefixes = await searchPrefixes(env);
    const paths = prefixes.map((q) => `/users?q=${encodeURIComponent(q)}&limit=20`);
    const load = (label: string, url: string, headers?: Record<string, string>, seconds = env.scale.duration): Promise<LoadResult> =>
      runLoad({ label, url, paths, headers, connections: env.scale.connections, durationSeconds: seconds });

    const auth_ = { authorization: `Bearer ${token}` };
    await load('warm-up', usersApi.url, auth_, 3);
    const ours = await load('users-api', usersApi.url, auth_);
    await env.stopServices();

    const baseline = await startBaseline(env);
    try {
      await load('warm-up', baseline.url, undefined, 3);
      const base = await load('baseline (node:http + driver)', baseline.url);
      return {
        columns: ['contender', 'req/s', 'p50 ms', 'p99 ms', 'failures'],
        rows: [ours, base].map((r) => [r.label, r.rps, r.p50, r.p99, r.failures]),
        ratios: [
          {
            label: 'req/s users-api ÷ baseline',
            value: ratioOf(ours, base, 'rps'),
            meaning: '1.0 = the framework, auth and validation cost nothing',
          },
          {
            label: 'p99 users-api ÷ baseline',
            value: ratioOf(ours, base, 'p99'),
            meaning: 'tail latency added by everything but the query',
          },
        ],
        notes: [
          `${prefixes.length} prefixes, e.g. ${prefixes.slice(0, 5).join(', ')}`,
          ...thinRunNotes([ours, base]),
          ...[ours, base].filter((r) => r.failures > 0).map((r) => `${r.label}: ${r.failures} failed requests — the numbers are suspect`),
        ],
        raw: { ours, base, prefixes },
      };
    } finally {
      await baseline.stop();
    }
  },
};
