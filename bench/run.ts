/**
 * `npm run bench [-- <benchmark>...] [--users N] [--days D] [--duration S] [--connections C] [--fresh] [--no-build]`
 *
 * Benchmarks with a baseline in the same run (issue 6): search, slow-trains, pagination, login.
 * Each prints a table and its ratios, writes bench/results/<name>.json, and docs/benchmarks.md
 * is regenerated from every result there. Not part of the test suite.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { BenchEnvironment, ROOT, type Scale } from './lib/environment';
import { machineInfo } from './lib/machine';
import { printRecord, saveRecord, writeMarkdown, type BenchmarkRecord } from './lib/report';
import { loginBenchmark } from './benchmarks/login';
import { paginationBenchmark } from './benchmarks/pagination';
import { searchBenchmark } from './benchmarks/search';
import { slowTrainsBenchmark } from './benchmarks/slow-trains';
import type { Benchmark } from './benchmarks/types';

const BENCHMARKS: Benchmark[] = [searchBenchmark, slowTrainsBenchmark, paginationBenchmark, loginBenchmark];

const USAGE = `Usage: bench/run.ts [${BENCHMARKS.map((b) => b.name).join('|')} ...] [options]

  --users N        seeded users (default 101000: pagination needs depth 100,000 + one page)
  --days D         seeded days of activity (default 28)
  --duration S     seconds per load run (default 10)
  --connections C  concurrent HTTP connections of the load generator (default 10)
  --fresh          drop and seed the data set again (it is kept in .data/bench between runs)
  --no-build       use dist/ as it is
  BENCH_DEPTHS=0,10000,100000  pagination depths; BENCH_PORT_BASE=4100  ports base+1..3 and +9`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return parsed;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      users: { type: 'string' },
      days: { type: 'string' },
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
    days: positive('days', values.days, 28),
    duration: positive('duration', values.duration, 10),
    connections: positive('connections', values.connections, 10),
  };

  const env = new BenchEnvironment(scale);
  const stop = () => void env.close().then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let failed = 0;
  try {
    if (!values['no-build'] && selected.some((b) => b.services.length > 0)) env.build();
    await env.open();
    if (env.db?.backend === 'ferretdb' && scale.users > 20_000) {
      console.warn(
        `warning: FerretDB v1 answers every query but _id with a full collection scan; with ${scale.users} users a search or ` +
          'login can outlast the services\' 10 s socket timeout (503s). For numbers about the design use MONGODB_URI or ' +
          'Docker; to prove the harness here, use --users 2000.',
      );
    }
    await env.seed(values.fresh === true);
    const db = env.db;
    if (!db) throw new Error('no database');
    for (const benchmark of selected) {
      console.log(`\n▶ ${benchmark.name}: ${benchmark.title}`);
      try {
        const outcome = await benchmark.run(env);
        const record: BenchmarkRecord = {
          name: benchmark.name,
          title: benchmark.title,
          method: benchmark.method,
          date: new Date().toISOString(),
          machine: machineInfo(),
          backend: db.backend,
          serverVersion: db.serverVersion,
          scale,
          ...outcome,
        };
        printRecord(record);
        console.log(`saved ${saveRecord(record)}`);
      } catch (error) {
        failed++;
        console.error(`✗ ${benchmark.name} failed: ${(error as Error).message}`);
      } finally {
        await env.stopServices();
      }
    }
    const markdown = join(ROOT, 'docs', 'benchmarks.md');
    writeMarkdown(markdown);
    console.log(`\nwrote ${markdown}`);
  } finally {
    await env.close();
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
