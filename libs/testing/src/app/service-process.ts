import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { exitWithParent } from '../process/exit-with-parent';
import { childLogFile, LOG_ENV, workspaceRoot } from './log-file';

/**
 * A built service (`dist/apps/<app>/main.js`) running as a child process, exactly as it runs
 * in production: its own config validation, signal handling and exit code. Suites that test
 * what only a real process shows (SIGTERM draining, a database that dies under it) use this;
 * everything else uses `createTestApp` in-process.
 */
export interface ServiceProcess {
  app: string;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  /** Resolves when the process has exited, however that happened. */
  exited: Promise<ProcessExit>;
  /** The last 64 KiB of its stdout and stderr, for failure messages. */
  output(): string;
  /** Sends the signal (SIGTERM unless told) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<ProcessExit>;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartServiceOptions {
  /** Environment on top of the defaults (NODE_ENV=test, HOST, PORT, quiet stdout, a log file). */
  env?: Record<string, string>;
  port?: number;
  /** How long to wait for `/health/ready` → 200. */
  readyTimeoutMs?: number;
}

const OUTPUT_KEEP = 64 * 1024;
const running = new Set<ChildProcess>();

// A test process that dies (or a Jest worker torn down) must not leave services behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** The workspace's dist/apps/<app>/main.js; tells how to build it when missing. */
export function builtServiceEntry(app: string): string {
  const entry = join(workspaceRoot(), 'dist', 'apps', app, 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: build it first (npx nx build ${app})`);
  return entry;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts `node dist/apps/<app>/main.js` and resolves once `/health/ready` answers 200. */
export async function startServiceProcess(app: string, opts: StartServiceOptions = {}): Promise<ServiceProcess> {
  const entry = builtServiceEntry(app);
  const port = opts.port ?? (await freePort());
  const logFile = childLogFile(app);
  const launch = exitWithParent();
  const child = spawn(process.execPath, [...launch.args, entry], {
    cwd: workspaceRoot(),
    env: {
      ...process.env,
      ...launch.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      // stdout only for what goes wrong; the log file (scanned for secrets) gets debug and up.
      LOG_LEVEL: 'warn',
      ...(logFile && { [LOG_ENV.file]: logFile }),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      output = (output + chunk).slice(-OUTPUT_KEEP);
    });
  }
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    app,
    port,
    url,
    pid: child.pid as number,
    exited,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  try {
    await waitForReady(url, exited, opts.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await service.stop('SIGKILL');
    throw new Error(`${app} did not become ready: ${(error as Error).message}\n--- output ---\n${output.trim()}`);
  }
  return service;
}

/** Polls `/health/ready` until 200; fails early when the process exits. */
async function waitForReady(url: string, exited: Promise<ProcessExit>, timeoutMs: number): Promise<void> {
  let exit: ProcessExit | undefined;
  void exited.then((e) => (exit = e));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`it exited (code ${exit.code}, signal ${exit.signal})`);
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`/health/ready did not answer 200 within ${timeoutMs / 1000}s`);
}
