/**
 * The OpenAPI contract test (issue 12 item 6): Schemathesis (PyPI) against the three BUILT
 * services on a test database, sending schema-valid requests generated from each service's
 * own `/docs/openapi.json`, authenticated with real tokens (an admin's for users-api and
 * admin-analytics, a member's for auth-api). Per service it prints the requests sent, the
 * schema-valid requests the service rejected (400/422 beyond the operation's declared
 * `x-refusals`), and the responses outside the document (undocumented status, media type,
 * header or body; any 5xx). Undeclared methods must answer 405 with `Allow`. Exit 1 unless
 * both numbers are 0 everywhere and Schemathesis found nothing else.
 *
 *   npm run build && npx tsx --tsconfig tsconfig.base.json tools/ci/contract-test.ts
 *
 * Uses MONGODB_URI when set, else resolves a test database like `npm test`. Schemathesis is
 * installed once into a venv under ~/.cache (CONTRACT_VENV overrides), pinned by
 * tools/ci/contract-requirements.txt. CONTRACT_MAX_EXAMPLES (default 20) and CONTRACT_SEED
 * tune the run; reports land in reports/contract/<service>/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { resolveDatabase } from '@directory/testing/resolve-database';
import { exitWithParent } from '@directory/testing/exit-with-parent';

const root = resolve(__dirname, '..', '..');
const requirements = join(__dirname, 'contract-requirements.txt');
const hooks = join(__dirname, 'contract_hooks.py');
const reportsDir = join(root, 'reports', 'contract');
const venv = process.env['CONTRACT_VENV'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'directory-contract', 'venv');
const MAX_EXAMPLES = process.env['CONTRACT_MAX_EXAMPLES'] ?? '20';
// CI pins the seed (.ci/run) so a run is reproducible; without it each run explores new data.
const SEED = process.env['CONTRACT_SEED'] ?? String(Date.now() % 2 ** 31);

const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'unsupported_method',
  'allow_header_conformance',
  'schema_valid_request_accepted',
];

interface Tally {
  responses: number;
  positive: number;
  statuses: Record<string, number>;
  /** "<METHOD> <path>" → status → responses. */
  by_operation: Record<string, Record<string, number>>;
  rejected_responses: number;
  outside_responses: number;
  /** "<operation> <status> <code>" → up to 5 messages. */
  rejected: Record<string, string[]>;
  outside: Record<string, string>;
}

interface ServiceResult {
  service: string;
  exitCode: number;
  tally: Tally | undefined;
}

function log(line: string): void {
  process.stdout.write(`[contract] ${line}\n`);
}

/** A venv with the pinned Schemathesis; reused while the requirements file is unchanged. */
function ensureSchemathesis(): string {
  const bin = join(venv, 'bin', 'schemathesis');
  const stamp = join(venv, '.requirements');
  const wanted = readFileSync(requirements, 'utf8');
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return bin;
  log(`installing Schemathesis into ${venv}`);
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
  };
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(venv, { recursive: true });
  run('python3', ['-m', 'venv', venv]);
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  writeFileSync(stamp, wanted);
  return bin;
}

interface ServiceProcess {
  app: string;
  url: string;
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/** `node dist/apps/<app>/main.js` (NODE_ENV=test: docs on), its output in reports/contract/<app>.log; resolves once ready. */
async function startService(app: string, env: Record<string, string>): Promise<ServiceProcess> {
  const entry = join(root, 'dist', 'apps', app, 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: build first (npm run build)`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  mkdirSync(reportsDir, { recursive: true });
  const out = openSync(join(reportsDir, `${app}.log`), 'w');
  const launch = exitWithParent();
  const child: ChildProcess = spawn(process.execPath, [...launch.args, entry], {
    cwd: root,
    env: { ...process.env, ...launch.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', out, out],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${app} exited with code ${child.exitCode}: see reports/contract/${app}.log`);
    const ready = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) }).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) return { app, url, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`${app} was not ready within 60 s: see reports/contract/${app}.log`);
}

async function postJson(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

interface Account {
  admin: boolean;
  email: string;
  password: string;
  refreshToken: string;
}

/** A fresh account (and, for `admin`, the role granted in the database; the hooks' first refresh then carries it). */
async function account(authUrl: string, db: { uri: string; dbName: string }, admin: boolean): Promise<Account> {
  const email = `contract-${randomBytes(6).toString('hex')}@example.com`;
  const password = `correct horse battery ${randomBytes(6).toString('hex')}`;
  const registered = await postJson(`${authUrl}/auth/register`, { email, password, name: { first: 'Contract', last: 'Test' } });
  if (registered.status !== 201) throw new Error(`register → ${registered.status} ${JSON.stringify(registered.body)}`);
  if (admin) {
    const client = new MongoClient(db.uri, { serverSelectionTimeoutMS: 10_000 });
    try {
      const id = (registered.body['user'] as { id: string }).id;
      await client
        .db(db.dbName)
        .collection('users')
        .updateOne({ _id: new ObjectId(id) }, { $addToSet: { roles: 'admin' } });
    } finally {
      await client.close();
    }
  }
  return { admin, email, password, refreshToken: String(registered.body['refreshToken']) };
}

function runSchemathesis(bin: string, service: ServiceProcess, authUrl: string, who: Account): Promise<ServiceResult> {
  const dir = join(reportsDir, service.app);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tallyFile = join(dir, 'tally.json');
  const args = [
    'run',
    `${service.url}/docs/openapi.json`,
    '--url',
    service.url,
    '--mode',
    'positive',
    '--phases',
    'examples,coverage,fuzzing',
    '--checks',
    CHECKS.join(','),
    '--max-examples',
    MAX_EXAMPLES,
    '--seed',
    SEED,
    '--workers',
    '2',
    '--request-timeout',
    '30',
    '--generation-database',
    'none',
    '--report',
    'junit',
    '--report-dir',
    dir,
    '--no-color',
  ];
  return new Promise((done) => {
    const child = spawn(bin, args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SCHEMATHESIS_HOOKS: hooks,
        CONTRACT_TALLY_FILE: tallyFile,
        // The hooks' auth provider: a real token of this account, fetched again after a 401.
        CONTRACT_AUTH_URL: authUrl,
        CONTRACT_EMAIL: who.email,
        CONTRACT_PASSWORD: who.password,
        CONTRACT_REFRESH_TOKEN: who.refreshToken,
        CONTRACT_REGISTER_FALLBACK: who.admin ? '0' : '1',
      },
    });
    const prefix = (chunk: Buffer) =>
      process.stdout.write(
        chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line.length > 0)
          .map((line) => `[${service.app}] ${line}\n`)
          .join(''),
      );
    child.stdout.on('data', prefix);
    child.stderr.on('data', prefix);
    child.on('exit', (code) => {
      const tally = existsSync(tallyFile) ? (JSON.parse(readFileSync(tallyFile, 'utf8')) as Tally) : undefined;
      done({ service: service.app, exitCode: code ?? 1, tally });
    });
  });
}

async function main(): Promise<number> {
  const bin = ensureSchemathesis();
  const resolved = process.env['MONGODB_URI'] ? undefined : await resolveDatabase({ log: (line) => process.stderr.write(`${line}\n`) });
  const uri = process.env['MONGODB_URI'] ?? resolved?.uri;
  if (!uri) throw new Error('no database: set MONGODB_URI');
  const dbName = `contract_${randomBytes(4).toString('hex')}`;
  const env = {
    MONGODB_URI: uri,
    MONGODB_DB: dbName,
    // Thousands of requests from one address: the per-IP limits would answer 429 before validation.
    AUTH_THROTTLE_LIMIT: '1000000',
    AUTH_LOGIN_FAILURES_PER_IP: '1000000',
  };
  const started: ServiceProcess[] = [];
  const results: ServiceResult[] = [];
  try {
    const auth = await startService('auth-api', env);
    started.push(auth);
    const verifying = { ...env, AUTH_JWKS_URI: `${auth.url}/.well-known/jwks.json`, AUTH_PUBLIC_URL: auth.url };
    const [users, analytics] = await Promise.all([startService('users-api', verifying), startService('admin-analytics', verifying)]);
    started.push(users, analytics);
    const db = { uri, dbName };
    // One account per run: a refresh token rotated in one Schemathesis process is a replay in the next.
    const [member, usersAdmin, analyticsAdmin] = [
      await account(auth.url, db, false),
      await account(auth.url, db, true),
      await account(auth.url, db, true),
    ];
    log(`seed ${SEED}, at most ${MAX_EXAMPLES} examples per operation and phase`);
    results.push(await runSchemathesis(bin, auth, auth.url, member));
    // users-api last: its admin may delete any user it finds, the other runs' accounts included.
    results.push(await runSchemathesis(bin, analytics, auth.url, analyticsAdmin));
    results.push(await runSchemathesis(bin, users, auth.url, usersAdmin));
  } finally {
    await Promise.all(started.map((service) => service.stop()));
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    await resolved?.stop();
  }

  let failed = false;
  log('');
  log(
    `${'service'.padEnd(16)} ${'requests'.padStart(8)} ${'rejected schema-valid'.padStart(22)} ${'outside the schema'.padStart(19)}  schemathesis`,
  );
  for (const { service, exitCode, tally } of results) {
    const rejected = tally ? tally.rejected_responses : NaN;
    const outside = tally ? tally.outside_responses : NaN;
    log(
      `${service.padEnd(16)} ${String(tally?.responses ?? '?').padStart(8)} ${String(rejected).padStart(22)} ${String(outside).padStart(19)}  exit ${exitCode}`,
    );
    for (const [operation, statuses] of Object.entries(tally?.by_operation ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const counts = Object.entries(statuses).map(([status, n]) => `${status}×${n}`);
      log(`  ${operation.padEnd(40)} ${counts.join(' ')}`);
    }
    for (const [key, detail] of Object.entries(tally?.rejected ?? {})) log(`  rejected: ${key}: ${detail.join(' | ')}`);
    for (const [key, detail] of Object.entries(tally?.outside ?? {})) log(`  outside:  ${key}: ${detail}`);
    if (!tally || rejected !== 0 || outside !== 0 || exitCode !== 0) failed = true;
  }
  log(
    failed
      ? 'FAILED (details above and in reports/contract/<service>/)'
      : 'passed: 0 rejected schema-valid requests, 0 responses outside the schema',
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`contract-test: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
