/**
 * `npm run bench [-- <benchmark>...] [--backend sqlite,postgres,uri] [--users N] [--days D] [--duration S]
 *   [--connections C] [--batch-size B] [--fresh] [--no-build]`
 *
 * Benchmarks with a baseline in the same run (issue 6): search, slow-trains, pagination, login.
 * Each runs on every backend asked for, prints a table and its ratios, writes
 * bench/results/<name>.<backend>.json, and docs/benchmarks.md is regenerated from every result
 * there, the backends side by side. Not part of the test suite.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { BackendUsageError, backendLabel, isFerretDbBackend, parseBackends } from './lib/backends';
import { BenchEnvironment, ROOT, type Scale } from './lib/environment';
import { machineInfo } from './lib/machine';
import { printRecord, saveRecord, writeMarkdown, type BenchmarkRecord } from './lib/report';
import { forgotPasswordBenchmark } from './benchmarks/forgot-password';
import { loginBenchmark } from './benchmarks/login';
import { loginTotpBenchmark } from './benchmarks/login-totp';
import { paginationBenchmark } from './benchmarks/pagination';
import { searchBenchmark } from './benchmarks/search';
import { slowTrainsBenchmark } from './benchmarks/slow-trains';
import type { Benchmark } from './benchmarks/types';

const BENCHMARKS: Benchmark[] = [
  searchBenchmark,
  slowTrainsBenchmark,
  paginationBenchmark,
  loginBenchmark,
  forgotPasswordBenchmark,
  loginTotpBenchmark,
];

const USAGE = `Usage: bench/run.ts [${BENCHMARKS.map((b) => b.name).join('|')} ...] [options]

  --backend B[,B]  sqlite (FerretDB on SQLite), postgres (FerretDB on PostgreSQL), uri (MONGODB_URI):
                   every benchmark runs on each, one after the other (default: what the resolver picks)
  --users N        seeded users (default 101000: pagination needs depth 100,000 + one page)
  --days D         seeded days of activity (default 182: slow-trains' cohorts span 26 weeks)
  --duration S     seconds per load run (default 10)
  --connections C  concurrent HTTP connections of the load generator (default 10)
  --batch-size B   the seed's users per chunk and largest insert (default 2000; inserts shrink on a slow server)
  --fresh          drop and seed the data set again (it is kept in .data/bench between runs)
  --no-build       use dist/ as it is
  BENCH_DEPTHS=0,10000,100000  pagination depths; BENCH_PORT_BASE=4100  ports base+1..3 and +9
  BENCH_SHARED_POOL=N  slow-trains: the control's shared pool (default --connections)`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return parsed;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      backend: { type: 'string' },
      users: { type: 'string' },
      days: { type: 'string' },
      'batch-size': { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      fresh: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const unknown = positionals.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}\n\n${USAGE}`);
  const selected = positionals.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => positionals.includes(b.name));
  const scale: Scale = {
    users: positive('users', values.users, 101_000),
    days: positive('days', values.days, 182),
    duration: positive('duration', values.duration, 10),
    connections: positive('connections', values.connections, 10),
  };
  const batchSize = values['batch-size'] === undefined ? undefined : positive('batch-size', values['batch-size'], 1);
  let choices;
  try {
    choices = parseBackends(values.backend, process.env);
  } catch (error) {
    if (error instanceof BackendUsageError) throw new Error(`${error.message}\n\n${USAGE}`);
    throw error;
  }

  let current: BenchEnvironment | undefined;
  const stop = () => void (current?.close() ?? Promise.resolve()).then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let failed = 0;
  let saved = 0;
  if (!values['no-build'] && selected.some((b) => b.services.length > 0)) BenchEnvironment.build();
  // Backend by backend: one database up at a time, every selected benchmark on it.
  for (const choice of choices) {
    const env = new BenchEnvironment(scale, choice, batchSize);
    current = env;
    if (choice.flag) console.log(`\n━━ backend ${choice.flag} (${choice.expected}) ━━`);
    try {
      await env.open();
      const db = env.db;
      if (!db) throw new Error('no database');
      if (isFerretDbBackend(env.backend) && scale.users > 20_000) {
        console.warn(
          `warning: FerretDB v1 uses no secondary index (SQLite filters nothing but _id; PostgreSQL pushes equality filters down ` +
            `but scans); with ${scale.users} users a search or login can outlast the services' 10 s socket timeout (503s). ` +
            'For numbers about the design use --backend uri with MONGODB_URI, or Docker; to prove the harness here, use --users 2000.',
        );
      }
      await env.seed(values.fresh === true);
      for (const benchmark of selected) {
        console.log(`\n▶ ${benchmark.name} on ${backendLabel(env.backend)}: ${benchmark.title}`);
        try {
          const outcome = await benchmark.run(env);
          const record: BenchmarkRecord = {
            name: benchmark.name,
            title: benchmark.title,
            method: benchmark.method,
            date: new Date().toISOString(),
            machine: machineInfo(),
            backend: env.backend,
            serverVersion: db.serverVersion,
            scale,
            ...outcome,
          };
          printRecord(record);
          console.log(`saved ${saveRecord(record)}`);
          saved++;
        } catch (error) {
          failed++;
          console.error(`✗ ${benchmark.name} failed on ${backendLabel(env.backend)}: ${(error as Error).message}`);
        } finally {
          await env.stopServices();
        }
      }
    } catch (error) {
      failed++;
      console.error(`✗ backend ${choice.flag ?? '(resolver default)'}: ${(error as Error).message}`);
    } finally {
      await env.close();
      current = undefined;
    }
  }
  if (saved > 0) {
    const markdown = join(ROOT, 'docs', 'benchmarks.md');
    writeMarkdown(markdown);
    console.log(`\nwrote ${markdown}`);
  }
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
