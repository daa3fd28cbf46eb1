/**
 * The development mail inbox `npm start` runs: maildev (npm, dev dependency) as a child process
 * on 127.0.0.1, SMTP for the services and a web inbox for people. It never outlives its launcher
 * (kill -9 included: libs/testing's exit-with-parent preload), binds loopback only, and its
 * optional MCP endpoint stays off; maildev makes no outbound connection of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { exitWithParent } from '@directory/testing/exit-with-parent';
import { onLines } from './stream-lines';

export interface MailCatcherOptions {
  smtpPort: number;
  webPort: number;
  /** Receives maildev's output, line by line. */
  log?: (line: string) => void;
  /** How long maildev may take to answer on both ports. */
  readyTimeoutMs?: number;
}

export interface MailCatcher {
  /** For the services: `smtp://127.0.0.1:<smtpPort>`. */
  smtpUrl: string;
  /** For people: the web inbox. */
  inboxUrl: string;
  child: ChildProcess;
  /** Stops maildev (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const root = resolve(__dirname, '..');

/** Ports from MAIL_SMTP_PORT and MAIL_WEB_PORT (defaults 1025 and 1080). */
export function mailPortsFromEnv(env: NodeJS.ProcessEnv): { smtpPort: number; webPort: number } {
  return { smtpPort: port(env, 'MAIL_SMTP_PORT', 1025), webPort: port(env, 'MAIL_WEB_PORT', 1080) };
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new Error(`${name} must be a port number (1-65535), not "${raw}"`);
  return value;
}

/** Resolves when nothing listens on HOST:port; otherwise a sentence saying what to do. */
export async function assertPortFree(portNumber: number, what: string, envName: string): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(portNumber, HOST, () => done());
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'is taken by another program' : `cannot be used (${code ?? String(error)})`;
    throw new Error(
      `Port ${portNumber} (${what}) ${why}. Stop that program, pick another port (${envName}=<port> npm start), ` +
        'or set SMTP_URL to send through a mail server of your own (no inbox is started then).',
    );
  } finally {
    await new Promise((done) => (server.listening ? server.close(done) : done(undefined)));
  }
}

/** The SMTP greeting (220) arrived on HOST:port. */
function smtpAnswers(portNumber: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: HOST, port: portNumber });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(2000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('data', (chunk) => {
      const ok = chunk.toString('latin1').startsWith('220');
      if (ok) socket.write('QUIT\r\n');
      finish(ok);
    });
  });
}

/** The inbox page itself (not only maildev's API) answers. */
async function inboxAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(2000) });
    return res.ok && (res.headers.get('content-type') ?? '').includes('text/html');
  } catch {
    return false;
  }
}

export async function startMailCatcher(options: MailCatcherOptions): Promise<MailCatcher> {
  const { smtpPort, webPort } = options;
  if (smtpPort === webPort) throw new Error(`MAIL_SMTP_PORT and MAIL_WEB_PORT must differ (both are ${smtpPort})`);
  await assertPortFree(smtpPort, 'the mail inbox SMTP port, MAIL_SMTP_PORT', 'MAIL_SMTP_PORT');
  await assertPortFree(webPort, 'the mail inbox web port, MAIL_WEB_PORT', 'MAIL_WEB_PORT');

  const bin = join(root, 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
  if (!existsSync(bin)) throw new Error(`maildev is not installed (${bin} is missing): run npm install, or set SMTP_URL`);

  // Stops by itself (SIGTERM, so maildev shuts down cleanly) once this launcher is gone, kill -9 included.
  const launch = exitWithParent();
  const args = [...launch.args, bin, '--smtp', String(smtpPort), '--web', String(webPort), '--ip', HOST, '--web-ip', HOST];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...launch.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    onLines(stream, (line) => {
      output.push(line);
      if (output.length > 40) output.shift();
      options.log?.(line);
    });
  }

  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const inboxUrl = `http://localhost:${webPort}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let smtpReady = false;
  let webReady = false;
  while (!(smtpReady && webReady)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the mail inbox (maildev) exited (${child.exitCode ?? child.signalCode}) before it answered:\n${output.join('\n')}`);
    }
    if (Date.now() > deadline) {
      await stop();
      const missing = [smtpReady ? '' : `SMTP on ${HOST}:${smtpPort}`, webReady ? '' : `the inbox on ${HOST}:${webPort}`].filter(Boolean);
      throw new Error(`the mail inbox (maildev) did not answer in time (${missing.join(', ')}):\n${output.join('\n')}`);
    }
    smtpReady ||= await smtpAnswers(smtpPort);
    webReady ||= await inboxAnswers(`http://${HOST}:${webPort}/`);
    if (!(smtpReady && webReady)) await new Promise((r) => setTimeout(r, 200));
  }
  return { smtpUrl: `smtp://${HOST}:${smtpPort}`, inboxUrl, child, stop };
}
