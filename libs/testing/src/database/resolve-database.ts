import { isFerretDb, type Backend, type BackendContext, type BackendName, type Probes } from './backends/backend';
import { dockerReachable } from './backends/docker-probe';
import { ferretDbPostgresBackend, ferretDbRunnable, ferretDbSqliteBackend } from './backends/ferretdb';
import { findPostgres } from './backends/postgres-probe';
import { findMongod, memoryServerBackend } from './backends/memory-server';
import { testcontainersBackend } from './backends/testcontainers';
import { uriBackend } from './backends/uri';
import { describeServer, redactUri, serverInfo } from './server-info';

export type { BackendName, Probes } from './backends/backend';
export { isFerretDb } from './backends/backend';

export interface ResolvedDatabase {
  uri: string;
  backend: BackendName;
  /** `8.0.4` for MongoDB; `7.0.42 (FerretDB v1.24.2)` for FerretDB. */
  serverVersion: string;
  isRealMongo: boolean;
  /** Where the data outlives the run (`<dataDir>/postgres` or `<dataDir>/ferretdb`); unset when ephemeral. */
  keptIn?: string;
  /** Stops what the resolver started (nothing for `uri`). Safe to call twice. */
  stop(): Promise<void>;
}

export interface ResolveOptions {
  /**
   * Persistent FerretDB data (dev launcher, bench): `<dataDir>/postgres` or `<dataDir>/ferretdb`
   * (SQLite). Tests leave it unset for a temporary directory.
   */
  dataDir?: string;
  log?: (line: string) => void;
  /** Defaults to process.env; tests pass their own. */
  env?: NodeJS.ProcessEnv;
  /** Replaces machine probes, e.g. to switch backends off in tests. */
  probes?: Partial<Probes>;
}

/** ARCHITECTURE.md "Databases the code must run on": the order is the contract. */
const BACKENDS: readonly Backend[] = [
  uriBackend,
  testcontainersBackend,
  memoryServerBackend,
  ferretDbPostgresBackend,
  ferretDbSqliteBackend,
];

/** The resolver's order, for whoever lists backends (the bench's side-by-side columns). */
export const BACKEND_NAMES: readonly BackendName[] = BACKENDS.map((backend) => backend.name);

const TITLES: Record<BackendName, string> = {
  uri: 'MONGODB_URI',
  testcontainers: 'Docker (testcontainers, mongo:8 replica set)',
  'mongodb-memory-server': 'mongodb-memory-server (replica set)',
  'ferretdb-postgres': 'FerretDB on PostgreSQL (tools/ferretdb, a private cluster or DIRECTORY_POSTGRES_URL)',
  'ferretdb-sqlite': 'FerretDB on SQLite (tools/ferretdb)',
};

export const defaultProbes: Probes = {
  docker: dockerReachable,
  mongod: findMongod,
  ferretDb: ferretDbRunnable,
  postgres: findPostgres,
};

/**
 * Picks the first database this machine can provide, starts it if needed, and says which one
 * it chose. DIRECTORY_DB_ALLOW=ferretdb-sqlite,uri (names, comma-separated; `ferretdb` means
 * both FerretDB backends) limits the candidates, e.g. to use FerretDB on a machine whose
 * Docker cannot pull images. A backend found by probing that then fails to start is reported
 * and the next one is tried; MONGODB_URI is what was asked for, so its failure is final.
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
  const isAllowed = (name: BackendName) => !allowed || allowed.includes(name) || (allowed.includes('ferretdb') && isFerretDb(name));
  const tried: string[] = [];
  for (const [index, backend] of BACKENDS.entries()) {
    const check = isAllowed(backend.name) ? await backend.check(ctx) : { unavailable: 'excluded by DIRECTORY_DB_ALLOW' };
    if (check === true) {
      try {
        return await start(backend, ctx);
      } catch (error) {
        if (backend.name === 'uri') throw error;
        const reason = `it did not start: ${(error as Error).message.split('\n')[0]}`;
        ctx.log(`[directory-db] ${TITLES[backend.name]}: ${reason}; trying the next option`);
        tried.push(`  ${index + 1}. ${TITLES[backend.name]}: ${reason}.`);
        continue;
      }
    }
    tried.push(`  ${index + 1}. ${TITLES[backend.name]}: ${check.unavailable}. To use it, ${backend.howToEnable}.`);
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
    throw new Error(`${TITLES[backend.name]} at ${redactUri(server.uri)} did not answer buildInfo: ${(error as Error).message}`);
  }
  const serverVersion = describeServer(info, server.productHint);
  ctx.log(`[directory-db] backend=${backend.name} version=${serverVersion} uri=${redactUri(server.uri)}`);
  let stopping: Promise<void> | undefined;
  return {
    uri: server.uri,
    backend: backend.name,
    serverVersion,
    isRealMongo: info.isRealMongo,
    keptIn: server.keptIn,
    stop: () => (stopping ??= server.stop()),
  };
}
