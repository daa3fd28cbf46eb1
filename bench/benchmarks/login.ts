import { cpus } from 'node:os';
import argon2 from 'argon2';
import { AUTH_API_ARGON2, argon2FromEnv } from '@directory/data-tools';
import { runLoad, thinRunNotes } from '../lib/load';
import type { Benchmark } from './types';

/** Median of `count` sequential argon2id hashes with auth-api's parameters, in ms. */
async function hashMilliseconds(count: number): Promise<number> {
  const parameters = argon2FromEnv(process.env);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await argon2.hash(`bench-password-${i}`, { type: argon2.argon2id, ...parameters });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export const loginBenchmark: Benchmark = {
  name: 'login',
  title: 'Login throughput vs the hash-cost limit',
  method:
    'POST /auth/login through auth-api with the seeded password, cycling through 500 active seeded users, ' +
    `against the ceiling the password hash sets: one argon2id hash with auth-api's parameters (default m=${AUTH_API_ARGON2.memoryCost} KiB, ` +
    `t=${AUTH_API_ARGON2.timeCost}, p=${AUTH_API_ARGON2.parallelism}), timed in the bench process (median of 15), gives ` +
    'limit = cores × 1000 / hash ms logins/s. A verification costs one hash, so no login path can beat that limit on this ' +
    'machine; the ratio shows what the rest of a login (lookup, lockout bookkeeping, session, token signing, event and ' +
    'activity writes) costs on top. The per-IP login throttle is lifted for the run (all load comes from one IP).',
  services: ['auth-api'],
  async run(env) {
    const { 'auth-api': auth } = await env.start('auth-api');
    if (!auth) throw new Error('auth-api did not start');
    const emails = await env.activeMembers(500);
    if (emails.length === 0) throw new Error('no active seeded users to log in');
    const password = env.seeded?.password as string;
    // Warm-up: JIT, connection pool, first hash of the worker threads.
    await runLoad({
      label: 'warm-up',
      url: `${auth.url}/auth/login`,
      method: 'POST',
      connections: 2,
      durationSeconds: 2,
      bodies: emails.slice(0, 20).map((email) => JSON.stringify({ email, password })),
    });
    const hashMs = await hashMilliseconds(15);
    const cores = cpus().length;
    const limit = (cores * 1000) / hashMs;
    const load = await runLoad({
      label: 'auth-api POST /auth/login',
      url: `${auth.url}/auth/login`,
      method: 'POST',
      connections: env.scale.connections,
      durationSeconds: env.scale.duration,
      bodies: emails.map((email) => JSON.stringify({ email, password })),
    });
    await env.stopServices();
    return {
      columns: ['contender', 'logins/s', 'p50 ms', 'p99 ms', 'failures'],
      rows: [
        [load.label, load.rps, load.p50, load.p99, load.failures],
        // A label without numbers, so runs on several backends line up in one table (the note has them).
        ['hash-cost limit (cores × 1000 / one hash ms)', limit, hashMs, '', ''],
      ],
      ratios: [
        {
          label: 'logins/s ÷ hash-cost limit',
          value: load.requests > 0 ? load.rps / limit : Number.NaN,
          meaning: '1.0 = every core does nothing but hash; the rest is what a login costs besides its hash',
        },
      ],
      notes: [
        `one argon2id hash: ${hashMs.toFixed(1)} ms (median of 15, sequential, in the bench process while no load runs); limit ${cores} cores × 1000 / ${hashMs.toFixed(1)} ms = ${limit.toFixed(1)} logins/s`,
        ...thinRunNotes([load]),
        ...(load.failures > 0 ? [`${load.failures} logins failed (non-2xx or errors): the number is suspect`] : []),
        'autocannon and the database share the same cores as auth-api, so the limit is not reachable on one machine.',
      ],
      raw: { load, hashMs, cores, limit },
    };
  },
};
