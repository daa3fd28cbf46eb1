import type { Backend, BackendContext, BackendName, Probes } from './backends/backend';
import { dockerReachable } from './backends/docker-probe';
import { ferretDbBackend, ferretDbRunnable } from './backends/ferretdb';
import { findMongod, memoryServerBackend } from './backends/memory-server';
import { testcontainersBackend } from './backends/testcontainers';
import { uriBackend } from './backends/uri';
import { describeServer, redactUri, serverInfo } from './server-info';

export type { BackendName, Probes } from './backends/backend';

export interface ResolvedDatabase {
  uri: string;
  backend: BackendName;
  /** `8.0.4` for MongoDB; `7.0.42 (FerretDB v1.24.2)` for FerretDB. */
  serverVersion: string;
  isRealMongo: boolean;
  /** Stops what the resolver started (nothing for `uri`). Safe to call twice. */
  stop(): Promise<void>;
}

export interface ResolveOptions {
  /** Persistent FerretDB data (dev launcher); tests leave it unset for a temporary directory. */
  dataDir?: string;
  log?: (line: string) => void;
  /** Defaults to process.env; tests pass their own. */
  env?: NodeJS.ProcessEnv;
  /** Replaces machine probes, e.g. to switch backends off in tests. */
  probes?: Partial<Probes>;
}

/** ARCHITECTURE.md "Databases the code must run on": the order is the contract. */
const BACKENDS: readonly Backend[] = [uriBackend, testcontainersBackend, memoryServerBackend, ferretDbBackend];

const TITLES: Record<BackendName, string> = {
  uri: 'MONGODB_URI',
  testcontainers: 'Docker (testcontainers, mongo:8 replica set)',
  'mongodb-memory-server': 'mongodb-memory-server (replica set)',
  ferretdb: 'FerretDB (tools/ferretdb, SQLite)',
};

export const defaultProbes: Probes = { docker: dockerReachable, mongod: findMongod, ferretDb: ferretDbRunnable };

/**
 * Picks the first database this machine can provide, starts it if needed, and says which one
 * it chose. DIRECTORY_DB_ALLOW=ferretdb,uri (names, comma-separated) limits the candidates,
 * e.g. to use FerretDB on a machine whose Docker cannot pull images.
 */
export async function resolveDatabase(opts: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const env = opts.env ?? process.env;
  const ctx: BackendContext = {
    env,
    log: opts.log ?? ((line) => process.stderr.write(`${line}\n`)),
    dataDir: opts.dataDir,
    probes: { ...defaultProbes, ...opts.probes },
  };
  const allowed = env['DIRECTORY_DB_ALLOW']?.split(',').map((name) => name.trim());
  const tried: string[] = [];
  for (const [index, backend] of BACKENDS.entries()) {
    const check =
      allowed && !allowed.includes(backend.name)
        ? { unavailable: 'excluded by DIRECTORY_DB_ALLOW' }
        : await backend.check(ctx);
    if (check !== true) {
      tried.push(`  ${index + 1}. ${TITLES[backend.name]}: ${check.unavailable}. To use it, ${backend.howToEnable}.`);
      continue;
    }
    return start(backend, ctx);
  }
  throw new Error(`No database available for Directory. Tried, in order:\n${tried.join('\n')}`);
}

async function start(backend: Backend, ctx: BackendContext): Promise<ResolvedDatabase> {
  const server = await backend.start(ctx);
  let info;
  try {
    info = await serverInfo(server.uri);
  } catch (error) {
    await server.stop();
    throw new Error(
      `${TITLES[backend.name]} at ${redactUri(server.uri)} did not answer buildInfo: ${(error as Error).message}`,
    );
  }
  const serverVersion = describeServer(info, server.productHint);
  ctx.log(`[directory-db] backend=${backend.name} version=${serverVersion} uri=${redactUri(server.uri)}`);
  let stopping: Promise<void> | undefined;
  return {
    uri: server.uri,
    backend: backend.name,
    serverVersion,
    isRealMongo: info.isRealMongo,
    stop: () => (stopping ??= server.stop()),
  };
}
