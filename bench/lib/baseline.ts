import { join } from 'node:path';
import { ROOT, type BenchEnvironment } from './environment';
import { spawnProcess, type RunningProcess } from './services';

/** bench/baseline/search-server.ts in its own process (tsx, the workspace's path aliases). */
export function startBaseline(env: BenchEnvironment, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningProcess> {
  if (!env.db) throw new Error('the database is not open');
  return spawnProcess({
    name: 'baseline',
    args: [require.resolve('tsx/cli'), '--tsconfig', join(ROOT, 'tsconfig.base.json'), join(ROOT, 'bench/baseline/search-server.ts')],
    port: Number(process.env['BENCH_PORT_BASE'] ?? 4100) + 9,
    cwd: ROOT,
    readyPath: '/ready',
    env: { ...process.env, MONGODB_URI: env.db.uri, MONGODB_DB: env.dbName, ...extraEnv },
  });
}

/** Name prefixes that exist in the seeded data (2-3 letters of normalized last names), for q=. */
export async function searchPrefixes(env: BenchEnvironment, count = 40): Promise<string[]> {
  const sample = await env.raw
    .collection('users')
    .find({}, { projection: { searchKeys: 1 } })
    .sort({ _id: 1 })
    .limit(count * 5)
    .toArray();
  const prefixes = new Set<string>();
  sample.forEach((user, i) => {
    const key = (user['searchKeys'] as string[] | undefined)?.[i % 2];
    if (key && key.length >= 3) prefixes.add(key.slice(0, 2 + (i % 2)));
  });
  return [...prefixes].slice(0, count);
}
