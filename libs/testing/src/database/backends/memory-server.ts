import { existsSync } from 'node:fs';
import type { Backend, Unavailable } from './backend';

/**
 * Finds a mongod without touching the network: MONGOMS_SYSTEM_BINARY, or a binary already in
 * mongodb-memory-server's caches (MONGOMS_DOWNLOAD_DIR, ~/.cache/mongodb-binaries,
 * node_modules/.cache). Downloading happens only when DIRECTORY_ALLOW_MONGOD_DOWNLOAD=1,
 * because a test run must not reach the internet unasked.
 */
export async function findMongod(env: NodeJS.ProcessEnv): Promise<{ binary?: string } | Unavailable> {
  const system = env['MONGOMS_SYSTEM_BINARY'];
  if (system) {
    return existsSync(system) ? { binary: system } : { unavailable: `MONGOMS_SYSTEM_BINARY=${system} does not exist` };
  }
  try {
    const { DryMongoBinary } = await import('mongodb-memory-server-core');
    // locateBinary only looks at the file system; MongoBinary.getPath would download.
    const binary = await DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions());
    if (binary) return { binary };
  } catch {
    // An unreadable cache is the same as an empty one here.
  }
  if (env['DIRECTORY_ALLOW_MONGOD_DOWNLOAD'] === '1') return {};
  return { unavailable: 'no mongod is cached (~/.cache/mongodb-binaries) and downloading is not allowed' };
}

export const memoryServerBackend: Backend = {
  name: 'mongodb-memory-server',
  howToEnable: 'set MONGOMS_SYSTEM_BINARY=/path/to/mongod, or DIRECTORY_ALLOW_MONGOD_DOWNLOAD=1 to let it download mongod once',
  async check(ctx) {
    const found = await ctx.probes.mongod(ctx.env);
    return 'unavailable' in found ? found : true;
  },
  async start(ctx) {
    const found = await ctx.probes.mongod(ctx.env);
    if ('unavailable' in found) throw new Error(found.unavailable);
    const { MongoMemoryReplSet } = await import('mongodb-memory-server-core');
    // A replica set, like production, so transactions and change streams behave the same.
    const replSet = await MongoMemoryReplSet.create({
      replSet: { count: 1, storageEngine: 'wiredTiger' },
      // Pinning the located binary keeps the library from downloading another one.
      binary: found.binary ? { systemBinary: found.binary } : {},
    });
    return {
      uri: replSet.getUri(),
      stop: async () => {
        // The default cleans up the temporary dbPath it created.
        await replSet.stop();
      },
    };
  },
};
