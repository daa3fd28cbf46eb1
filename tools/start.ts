/**
 * `npm start`: the whole system on one machine. Resolves a database (MONGODB_URI, Docker,
 * mongodb-memory-server or an embedded FerretDB on PostgreSQL or SQLite whose data persists
 * under .data/), builds the three services and runs them behind one origin: a gateway in this
 * process (tools/gateway.ts, GATEWAY_PORT, default 8080) whose URL it prints. On first start
 * (no users yet) it seeds a small demo directory (libs/data-tools) and on every start prints an
 * admin login. Service logs are pretty-printed on a terminal (JSON otherwise), without Nest's
 * route-mapping lines unless LOG_LEVEL=debug. Unless SMTP_URL names a mail server, it also runs
 * a local mail inbox (maildev, tools/mail-catcher.ts) that receives every message the services
 * send, and prints its URL. Ctrl-C stops everything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import {
  argon2FromEnv,
  createProgress,
  DEMO_SHAPE,
  ensureDemoDirectory,
  openTargetDatabase,
  type DemoDirectory,
} from '@directory/data-tools';
import { syncDerivedUserKeys } from '@directory/connections';
import { exitWithParent } from '@directory/testing/exit-with-parent';
import { startDevDatabase } from './dev-database';
import { startGateway, type Gateway } from './gateway';
import { mailPortsFromEnv, startMailCatcher, type MailCatcher } from './mail-catcher';
import { onLines, serviceLogFormatter } from './stream-lines';

const root = resolve(__dirname, '..');
const dataDir = join(root, '.data');

interface Service {
  name: string;
  port: number;
}

const services: Service[] = [
  { name: 'auth-api', port: Number(process.env.AUTH_PORT ?? 3001) },
  { name: 'users-api', port: Number(process.env.USERS_PORT ?? 3002) },
  { name: 'admin-analytics', port: Number(process.env.ANALYTICS_PORT ?? 3003) },
];

const gatewayPort = Number(process.env.GATEWAY_PORT ?? 8080);
/** The one URL people open: pages and every API under it. */
const gatewayUrl = `http://localhost:${gatewayPort}`;

async function waitReady(service: Service, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${service.name} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs / 1000}s`);
}

const verboseLogs = /^(debug|trace)$/i.test(process.env.LOG_LEVEL ?? '');

function prefixLines(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WriteStream): void {
  // Human-readable on a terminal; JSON, one object a line, when piped to a file or a log tool.
  const format = serviceLogFormatter({ pretty: out.isTTY === true, verbose: verboseLogs });
  onLines(stream, (line) => {
    const shown = format(line);
    if (shown !== undefined) out.write(`[${name}] ${shown}\n`);
  });
}

const dbName = process.env.MONGODB_DB ?? 'directory';

/**
 * Development data, never in production (NODE_ENV=production): users stored by an older
 * version get the derived keys search needs (what `sync-indexes` does on deploy), and on the
 * first start a demo directory, hashed with the parameters auth-api is configured with (same
 * env variables), so its users log in at once; every seeded user shares one documented password.
 */
async function prepareData(uri: string): Promise<DemoDirectory | undefined> {
  if ((process.env.NODE_ENV ?? 'development') === 'production') return undefined;
  // No socket timeout: the key backfill scans the users collection in one command on FerretDB.
  const target = await openTargetDatabase({ uri, dbName, appName: 'directory-start', socketTimeoutMS: 0 });
  try {
    const healed = await syncDerivedUserKeys(target.connection);
    if (healed > 0) console.log(`Wrote the derived search keys of ${healed} users stored by an older version.`);
    if (process.env.DIRECTORY_DEMO === 'false') return undefined;
    return await ensureDemoDirectory(target.connection, {
      argon2: argon2FromEnv(process.env),
      progress: createProgress(),
      onFirstStart: () => console.log(`First start: seeding a demo directory (${DEMO_SHAPE.users} users, ${DEMO_SHAPE.days} days)…`),
    });
  } finally {
    await target.close();
  }
}

/**
 * Where auth-api sends mail: SMTP_URL when the user set one (no inbox then), otherwise a local
 * maildev on MAIL_SMTP_PORT / MAIL_WEB_PORT (defaults 1025 / 1080).
 */
async function startMail(): Promise<{ smtpUrl: string; catcher?: MailCatcher }> {
  const own = process.env.SMTP_URL;
  if (own) return { smtpUrl: own };
  const catcher = await startMailCatcher({ ...mailPortsFromEnv(process.env), log: (line) => process.stdout.write(`[mail] ${line}\n`) });
  return { smtpUrl: catcher.smtpUrl, catcher };
}

/** The one URL to open, with the demo admin's login when there is one. */
function printOpen(demo: DemoDirectory | undefined): void {
  const lines = [
    '',
    '  ┌─ Open ─────────────────────────────────────────────────────────',
    `  │ ${gatewayUrl}                     the admin console: people, actions, analytics`,
    `  │ ${gatewayUrl}/account/security    your own account (sign-in, second factors, passkeys)`,
    `  │   APIs on the same origin: /auth, /users, /analytics`,
  ];
  if (demo?.adminEmail) {
    const note = demo.seeded ? 'seeded just now' : 'seeded on first start; unless you changed it';
    lines.push(
      '  │',
      `  │ Admin     ${demo.adminEmail}`,
      `  │ Password  ${demo.password}   (${note})`,
      `  │ Every demo user has this password (development data only).`,
      `  │ Forgot it? ${gatewayUrl}/account/forgot-password`,
    );
  }
  lines.push('  └────────────────────────────────────────────────────────────────', '');
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  // First, so a taken port is reported before anything slow starts.
  let mail: Awaited<ReturnType<typeof startMail>>;
  try {
    mail = await startMail();
  } catch (error) {
    console.error(`Could not start the mail inbox: ${(error as Error).message}`);
    process.exit(1);
  }
  // In this process, so it cannot outlive the launcher (kill -9 included). Until the services
  // are ready it answers 502 service_unavailable.
  let gateway: Gateway;
  try {
    gateway = await startGateway(
      {
        auth: { name: 'auth-api', url: `http://127.0.0.1:${(services[0] as Service).port}` },
        users: { name: 'users-api', url: `http://127.0.0.1:${(services[1] as Service).port}` },
        analytics: { name: 'admin-analytics', url: `http://127.0.0.1:${(services[2] as Service).port}` },
      },
      gatewayPort,
      '0.0.0.0',
      { consoleDir: join(root, 'dist', 'apps', 'admin-console') },
    );
  } catch (error) {
    const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    console.error(
      taken
        ? `Port ${gatewayPort} is taken; set GATEWAY_PORT to a free port for the gateway`
        : `Could not start the gateway: ${(error as Error).message}`,
    );
    await mail.catcher?.stop();
    process.exit(1);
  }
  const authPort = (services[0] as Service).port;
  let db: Awaited<ReturnType<typeof startDevDatabase>>;
  try {
    db = await startDevDatabase();
  } catch (error) {
    await Promise.all([gateway.close(), mail.catcher?.stop()]);
    throw error;
  }

  console.log('Building the services (nx run-many -t build)…');
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--parallel=2', '--outputStyle=static'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_NO_CLOUD: 'true', NX_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) {
    await Promise.all([gateway.close(), db.stop(), mail.catcher?.stop()]);
    process.exit(build.status ?? 1);
  }

  let demo: DemoDirectory | undefined;
  try {
    demo = await prepareData(db.uri);
  } catch (error) {
    console.error(`Could not prepare the database: ${(error as Error).message}`);
    await Promise.all([gateway.close(), db.stop(), mail.catcher?.stop()]);
    process.exit(1);
  }

  const children = services.map((service) => {
    // A service stops by itself if this launcher dies, kill -9 included.
    const launch = exitWithParent();
    const child = spawn(process.execPath, [...launch.args, join(root, 'dist/apps', service.name, 'main.js')], {
      cwd: root,
      env: {
        ...process.env,
        ...launch.env,
        NODE_ENV: process.env.NODE_ENV ?? 'development',
        PORT: String(service.port),
        MONGODB_URI: db.uri,
        MONGODB_DB: dbName,
        DIRECTORY_DATA_DIR: dataDir,
        // The gateway (and the dashboard's sign-in forwarder, which calls auth-api directly) pass
        // the client's address in X-Forwarded-For; the services believe it only from loopback
        // peers, so lockouts and throttles count the real client, and nobody else can pick it.
        TRUST_PROXY: process.env.TRUST_PROXY ?? 'loopback',
        ...(service.name === 'auth-api'
          ? {
              // Mail goes to the local inbox (or the user's SMTP_URL); its links open the /account pages on the gateway.
              SMTP_URL: mail.smtpUrl,
              ...(process.env.PUBLIC_URL
                ? {}
                : {
                    PUBLIC_URL: gatewayUrl,
                    // Passkeys (RP ID localhost) work on pages opened through the gateway or on auth-api directly.
                    AUTH_WEBAUTHN_ORIGINS: process.env.AUTH_WEBAUTHN_ORIGINS ?? `${gatewayUrl},http://localhost:${authPort}`,
                  }),
            }
          : {}),
        ...(service.name === 'admin-analytics' ? { AUTH_PUBLIC_URL: process.env.AUTH_PUBLIC_URL ?? `http://127.0.0.1:${authPort}` } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    prefixLines(service.name, child.stdout, process.stdout);
    prefixLines(service.name, child.stderr, process.stderr);
    return { service, child };
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const { child } of children) child.kill('SIGTERM');
    await Promise.all(children.map(({ child }) => (child.exitCode !== null ? null : new Promise((r) => child.once('exit', r)))));
    await Promise.all([gateway.close(), db.stop(), mail.catcher?.stop()]);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  mail.catcher?.child.once('exit', (code) => {
    if (!stopping) {
      console.error(`The mail inbox (maildev) stopped unexpectedly (code ${code}); stopping the others`);
      void stop(1);
    }
  });
  for (const { service, child } of children) {
    child.once('exit', (code) => {
      if (!stopping) {
        console.error(`${service.name} stopped unexpectedly (code ${code}); stopping the others`);
        void stop(1);
      }
    });
  }

  try {
    await Promise.all(children.map(({ service, child }) => waitReady(service, child)));
  } catch (error) {
    console.error(String(error));
    await stop(1);
    return;
  }
  const kept = db.keptIn ? `, data in ${relative(root, db.keptIn)}` : '';
  console.log(`\nDirectory is running on ${db.backend} (${db.serverVersion})${kept}.`);
  printOpen(demo);
  // For API users: each service directly, with its OpenAPI UI at /docs.
  console.log(`  Services: ${services.map((s) => `${s.name} http://localhost:${s.port}/docs`).join('   ')}`);
  if (mail.catcher) {
    console.log(`  Mail inbox: ${mail.catcher.inboxUrl}   (every message the services send; SMTP ${mail.smtpUrl})`);
  } else {
    console.log('  Mail: sent through your SMTP_URL (no local inbox started)');
  }
  console.log('Press Ctrl-C to stop.\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
