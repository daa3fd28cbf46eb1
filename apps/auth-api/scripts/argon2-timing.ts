/**
 * How long one argon2id hash and one verification take on this machine with the configured
 * parameters (AUTH_ARGON2_* from the environment, else the defaults), median of N runs.
 * A measurement, not a test:
 *
 *   npx tsx --tsconfig tsconfig.base.json apps/auth-api/scripts/argon2-timing.ts [runs]
 */
import * as argon2 from 'argon2';
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { configSchema } from '../src/config';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 21);
  const config = configSchema.parse({ MONGODB_URI: 'mongodb://unused/', ...process.env });
  const options: argon2.HashOptions & { raw?: false } = {
    type: argon2.argon2id,
    memoryCost: config.AUTH_ARGON2_MEMORY_KIB,
    timeCost: config.AUTH_ARGON2_TIME_COST,
    parallelism: config.AUTH_ARGON2_PARALLELISM,
  };
  const password = 'correct horse battery staple 42';
  const stored = await argon2.hash(password, options); // warm-up
  const hashMs: number[] = [];
  const verifyMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    await argon2.hash(password, options);
    hashMs.push(performance.now() - start);
    start = performance.now();
    await argon2.verify(stored, password);
    verifyMs.push(performance.now() - start);
  }
  const fmt = (values: number[]) =>
    `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;
  console.log(`argon2id m=${options.memoryCost} KiB t=${options.timeCost} p=${options.parallelism}, ${runs} runs`);
  console.log(`  hash:   ${fmt(hashMs)}`);
  console.log(`  verify: ${fmt(verifyMs)}`);
  console.log(
    `  CPU: ${availableParallelism()} cores available (${cpus()[0]?.model ?? 'unknown'}); libuv threadpool ${process.env['UV_THREADPOOL_SIZE'] ?? 4}`,
  );
}

void main();
