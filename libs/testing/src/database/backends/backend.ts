/** The ways the resolver can provide a database, in the order it tries them. */
export type BackendName = 'uri' | 'testcontainers' | 'mongodb-memory-server' | 'ferretdb-postgres' | 'ferretdb-sqlite';

/** True for both FerretDB backends (they share the embedded launcher from tools/ferretdb). */
export function isFerretDb(backend: string | undefined): backend is 'ferretdb-postgres' | 'ferretdb-sqlite' {
  return backend === 'ferretdb-postgres' || backend === 'ferretdb-sqlite';
}

/** Returned by a probe or check that found its backend unusable; `reason` is shown to people. */
export interface Unavailable {
  unavailable: string;
}

export function isUnavailable(value: unknown): value is Unavailable {
  return typeof value === 'object' && value !== null && 'unavailable' in value;
}

/**
 * Questions about the machine. They are injectable so tests can switch every backend
 * off without uninstalling anything.
 */
export interface Probes {
  /** Does a Docker daemon answer? */
  docker(env: NodeJS.ProcessEnv): Promise<true | Unavailable>;
  /** A mongod binary to use, or `{}` when downloading one was explicitly allowed. */
  mongod(env: NodeJS.ProcessEnv): Promise<{ binary?: string } | Unavailable>;
  /** Is a FerretDB binary already built, or can `go` build one? */
  ferretDb(env: NodeJS.ProcessEnv): Promise<true | Unavailable>;
  /** PostgreSQL for FerretDB: an existing server's URL, or the folder of initdb and postgres. */
  postgres(env: NodeJS.ProcessEnv): Promise<PostgresFound | Unavailable>;
}

export type PostgresFound = { url: string } | { binDir: string };

/** Everything a backend reads; the resolver builds it once. */
export interface BackendContext {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /**
   * Where FerretDB keeps data that outlives the run: `<dataDir>/postgres` (a private cluster)
   * or `<dataDir>/ferretdb` (SQLite files). Unset: a temporary directory. The other backends
   * are always ephemeral.
   */
  dataDir?: string;
  probes: Probes;
}

export interface StartedServer {
  uri: string;
  stop(): Promise<void>;
  /** Shown next to the wire version when the server cannot name itself (embedded FerretDB). */
  productHint?: string;
  /** Lines worth telling whoever started it (e.g. which user PostgreSQL runs as). */
  notes?: string[];
  /** The folder whose data outlives the run (FerretDB given a dataDir); unset when ephemeral. */
  keptIn?: string;
}

export interface Backend {
  name: BackendName;
  /** One line telling a person how to make this backend available; used in the "no database" error. */
  howToEnable: string;
  check(ctx: BackendContext): Promise<true | Unavailable>;
  start(ctx: BackendContext): Promise<StartedServer>;
}
