import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mongo, type Connection } from 'mongoose';
import {
  buildSeedPlan,
  createProgress,
  DEFAULT_PASSWORD,
  openTargetDatabase,
  seedDatabase,
  type TargetDatabase,
} from '@directory/data-tools';
import { resolveDatabase, type ResolvedDatabase } from '@directory/testing/resolve-database';
import { normalizeBackend, type BackendChoice } from './backends';
import { startService, type RunningProcess, type ServiceEnvironment, type ServiceName } from './services';

export const ROOT = resolve(__dirname, '..', '..');

export interface Scale {
  users: number;
  days: number;
  /** Seconds per load run. */
  duration: number;
  connections: number;
}

/** Fixed, so the same scale gives the same data on every run and every machine. */
export const SEED = { seed: 'bench', until: '2026-06-30' } as const;

export interface SeededData {
  firstDay: string;
  adminEmail: string;
  password: string;
}

/**
 * The database, the seeded data and the services of one pass of a bench run (one backend). The
 * database comes from the resolver (MONGODB_URI, Docker, mongodb-memory-server, FerretDB on
 * PostgreSQL or SQLite), limited to the backend asked for with --backend. FerretDB keeps its
 * data under .data/bench between runs, each storage in its own folder (the resolver's
 * `<dataDir>/postgres` and `<dataDir>/ferretdb`); the data set is named after its scale, so a
 * second run reuses it instead of seeding again (the seed is deterministic and idempotent).
 */
export class BenchEnvironment {
  readonly dataDir = join(ROOT, '.data', 'bench');
  private target?: TargetDatabase;
  private running: RunningProcess[] = [];
  private client?: mongo.MongoClient;
  db?: ResolvedDatabase;
  seeded?: SeededData;

  constructor(
    readonly scale: Scale,
    readonly choice: BackendChoice = {},
    /** The seed's --batch-size (users per chunk, largest insert); undefined = its default. */
    readonly batchSize?: number,
  ) {}

  /** The resolver's backend name, `ferretdb` of older resolvers read as `ferretdb-sqlite`. */
  get backend(): string {
    if (!this.db) throw new Error('the database is not open');
    return normalizeBackend(this.db.backend);
  }

  get dbName(): string {
    return `bench_${this.scale.users}u_${this.scale.days}d`;
  }

  get connection(): Connection {
    if (!this.target) throw new Error('the database is not open');
    return this.target.connection;
  }

  /**
   * The raw driver for the bench's own reads, without the fast role's 10 s socket timeout: on a
   * backend that scans (FerretDB v1) a deep skip on 100,000 users takes longer than that.
   */
  get raw(): mongo.Db {
    if (!this.client) throw new Error('the database is not open');
    return this.client.db(this.dbName);
  }

  get ports(): Record<ServiceName, number> {
    const base = Number(process.env['BENCH_PORT_BASE'] ?? 4100);
    return { 'auth-api': base + 1, 'users-api': base + 2, 'admin-analytics': base + 3 };
  }

  async open(): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true });
    const env = this.choice.allow === undefined ? process.env : { ...process.env, DIRECTORY_DB_ALLOW: this.choice.allow };
    this.db = await resolveDatabase({ dataDir: this.dataDir, env, log: (line) => console.log(line) });
    const { expected } = this.choice;
    if (expected && this.backend !== expected) {
      throw new Error(`--backend ${this.choice.flag} asked for ${expected}, but the resolver started ${this.db.backend}`);
    }
    // The bench's seeding is bulk work: openTargetDatabase gives it no socket timeout (a batch on
    // a large collection may take longer than the fast role's 10 s) and adaptive batch sizes.
    this.target = await openTargetDatabase({ uri: this.db.uri, dbName: this.dbName, appName: 'directory-bench', socketTimeoutMS: 0 });
    this.client = await new mongo.MongoClient(this.db.uri, {
      appName: 'directory-bench-reads',
      socketTimeoutMS: 0,
      maxPoolSize: 4,
    }).connect();
  }

  /** Seeds the scale's data set unless a complete one is there. */
  async seed(fresh: boolean): Promise<SeededData> {
    const connection = this.connection;
    if (fresh) await connection.dropDatabase();
    const users = await connection.collection('users').estimatedDocumentCount();
    const options = {
      ...SEED,
      users: this.scale.users,
      days: this.scale.days,
      password: DEFAULT_PASSWORD,
      ...(this.batchSize !== undefined && { batchSize: this.batchSize }),
      rerun:
        'Nothing is lost: run the bench again with the same --users and --days (the seed is idempotent and continues where it stopped)',
    };
    if (users !== this.scale.users) {
      console.log(`Seeding ${this.scale.users} users over ${this.scale.days} days into "${this.dbName}"…`);
    } else {
      console.log(`Reusing the seeded data set "${this.dbName}" (${users} users); --fresh seeds again.`);
    }
    if (users !== this.scale.users) {
      const result = await seedDatabase(connection, { ...options, progress: createProgress() });
      const seconds = result.totalMs / 1000;
      console.log(
        `Seeded in ${seconds.toFixed(1)} s: ${Math.round(result.users.generated / seconds)} users/s, ` +
          `${Math.round(result.events.generated / seconds)} events/s (${result.events.generated} events, ${result.activities.generated} activities).`,
      );
      for (const line of result.adaptations) console.log(`  inserts shrank for a slow server: ${line}`);
    }
    const plan = buildSeedPlan(options);
    const admin = await this.raw
      .collection('users')
      .findOne({ roles: 'admin', status: 'active' }, { projection: { email: 1 }, sort: { createdAt: 1, _id: 1 } });
    if (!admin) throw new Error(`no active admin in "${this.dbName}"; run with --fresh`);
    this.seeded = {
      firstDay: new Date(plan.startMs).toISOString().slice(0, 10),
      adminEmail: admin['email'] as string,
      password: DEFAULT_PASSWORD,
    };
    return this.seeded;
  }

  /** `nx build` of the three services, unless --no-build (dist is then used as it is). */
  static build(): void {
    console.log('Building the services (nx run-many -t build)…');
    const build = spawnSync(
      'npx',
      ['nx', 'run-many', '-t', 'build', '--projects=auth-api,users-api,admin-analytics', '--parallel=1', '--outputStyle=static'],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NX_NO_CLOUD: 'true', NX_TELEMETRY_DISABLED: '1' } },
    );
    if (build.status !== 0) throw new Error('the build failed');
  }

  serviceEnvironment(): ServiceEnvironment {
    if (!this.db) throw new Error('the database is not open');
    return { root: ROOT, mongoUri: this.db.uri, dbName: this.dbName, dataDir: this.dataDir, ports: this.ports };
  }

  /** Starts services (auth-api first: the others fetch its JWKS) and keeps them for close(). */
  async start(...names: ServiceName[]): Promise<Record<string, RunningProcess>> {
    return this.startWith({}, ...names);
  }

  /** `start` with more environment variables for the services (e.g. SMTP_URL). */
  async startWith(extraEnv: NodeJS.ProcessEnv, ...names: ServiceName[]): Promise<Record<string, RunningProcess>> {
    const started: Record<string, RunningProcess> = {};
    for (const name of ['auth-api', 'users-api', 'admin-analytics'] as const) {
      if (!names.includes(name)) continue;
      const service = await startService(name, { ...this.serviceEnvironment(), extraEnv });
      this.running.push(service);
      started[name] = service;
    }
    return started;
  }

  async stopServices(): Promise<void> {
    const running = this.running;
    this.running = [];
    await Promise.all(running.map((service) => service.stop()));
  }

  /** An access token through auth-api's real login. */
  async login(authUrl: string, email: string, password = DEFAULT_PASSWORD): Promise<string> {
    const response = await fetch(`${authUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!response.ok) throw new Error(`login as ${email} failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { accessToken: string }).accessToken;
  }

  /** Emails of active members (not admins), in a stable order, for logins and member tokens. */
  async activeMembers(limit: number): Promise<string[]> {
    const users = await this.raw
      .collection('users')
      .find({ status: 'active', roles: { $ne: 'admin' } }, { projection: { email: 1 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return users.map((user) => user['email'] as string);
  }

  async close(): Promise<void> {
    await this.stopServices();
    await this.client?.close();
    await this.target?.close();
    await this.db?.stop();
  }
}
