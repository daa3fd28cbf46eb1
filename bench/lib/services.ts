import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { exitWithParent } from '@directory/testing/exit-with-parent';

export type ServiceName = 'auth-api' | 'users-api' | 'admin-analytics';

export interface RunningProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** The last lines it printed, for the error message when it dies. */
  tail(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  /** node arguments: the script and its arguments. */
  args: string[];
  port: number;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Answers 200 when the process can take load. */
  readyPath: string;
}

/** Starts a node process, keeps its last output lines, and waits until `readyPath` answers 200. */
export async function spawnProcess(options: SpawnOptions, timeoutMs = 90_000): Promise<RunningProcess> {
  // The services stop by themselves if the bench dies, kill -9 included.
  const launch = exitWithParent();
  const child = spawn(process.execPath, [...launch.args, ...options.args], {
    cwd: options.cwd,
    env: { ...options.env, ...launch.env, PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${options.port}`;
  const running: RunningProcess = {
    name: options.name,
    url,
    child,
    tail: () => lines.join('\n'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited with code ${child.exitCode}:\n${running.tail()}`);
    try {
      if ((await fetch(`${url}${options.readyPath}`)).ok) return running;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await running.stop();
  throw new Error(`${options.name} was not ready within ${timeoutMs / 1000}s:\n${running.tail()}`);
}

export interface ServiceEnvironment {
  root: string;
  mongoUri: string;
  dbName: string;
  dataDir: string;
  ports: Record<ServiceName, number>;
  /** Set last: a benchmark's own settings (e.g. SMTP_URL). */
  extraEnv?: NodeJS.ProcessEnv;
}

/**
 * One of the three services from dist (what `npm start` runs), configured for measuring:
 * warn-level logs (a load run would otherwise measure log volume), no per-IP login throttle
 * (the load comes from one IP), analytics answers never cached (every request aggregates), a
 * time budget and range cap that fit the bench's large cohort windows.
 */
export function startService(name: ServiceName, env: ServiceEnvironment): Promise<RunningProcess> {
  const jwks = `http://127.0.0.1:${env.ports['auth-api']}/.well-known/jwks.json`;
  return spawnProcess({
    name,
    args: [join(env.root, 'dist/apps', name, 'main.js')],
    port: env.ports[name],
    cwd: env.root,
    readyPath: '/health/ready',
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      MONGODB_URI: env.mongoUri,
      MONGODB_DB: env.dbName,
      DIRECTORY_DATA_DIR: env.dataDir,
      AUTH_JWKS_URI: jwks,
      AUTH_PUBLIC_URL: `http://127.0.0.1:${env.ports['auth-api']}`,
      AUTH_THROTTLE_LIMIT: '1000000',
      ANALYTICS_CACHE_TTL_MS: '0',
      ANALYTICS_MAX_TIME_MS: '120000',
      // slow-trains asks for cohorts over the whole seeded period (182 days by default: 26 weeks).
      ANALYTICS_MAX_RANGE_DAYS: '3660',
      ...env.extraEnv,
    },
  });
}
