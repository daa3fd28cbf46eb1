import { freePort } from '@directory/testing';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { builtConsoleStandIn, expectConsoleAsset, expectConsolePage, send, standIn, type Seen } from './gateway-test-support';

/**
 * docker/Caddyfile — compose's gateway — run by a real Caddy of the image's version in front of
 * stand-in services: the same routes, forwarding header and console files as npm start's gateway
 * (tools/gateway.spec.ts). Caddy comes from CADDY_PATH, PATH or `go install` ($GOPATH/bin; .ci/run
 * installs v2.11.4, the version of caddy:2.11.4-alpine).
 */
function findCaddy(): string | undefined {
  if (process.env['CADDY_PATH']) return process.env['CADDY_PATH'];
  const onPath = spawnSync('which', ['caddy'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const gopath = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).stdout?.trim() || join(homedir(), 'go');
  return [join(gopath, 'bin', 'caddy')].find((path) => existsSync(path));
}

const caddy = findCaddy();
const MISSING = 'no caddy binary: go install github.com/caddyserver/caddy/v2/cmd/caddy@v2.11.4, or set CADDY_PATH';
if (!caddy && process.env['CI'] !== 'true') console.warn(`[skip] docker/Caddyfile tests: ${MISSING}`);
// On CI a missing Caddy fails (the describe runs and the beforeAll throws) rather than skipping.
const describeWithCaddy = caddy || process.env['CI'] === 'true' ? describe : describe.skip;

interface RunningCaddy {
  port: number;
  stop(): Promise<void>;
}

/** docker/Caddyfile with the stack's host names and ports replaced by this machine's. */
async function startCaddy(ports: { auth: number; users: number; analytics: number }, srvDir: string): Promise<RunningCaddy> {
  if (!caddy) throw new Error(MISSING);
  const port = await freePort();
  const config = readFileSync(resolve(__dirname, '..', 'docker', 'Caddyfile'), 'utf8')
    .replace(/^:80 \{/m, `:${port} {`)
    .replace('auth-api:3001', `127.0.0.1:${ports.auth}`)
    .replace('users-api:3002', `127.0.0.1:${ports.users}`)
    .replace('admin-analytics:3003', `127.0.0.1:${ports.analytics}`)
    .replace('root * /srv', `root * ${srvDir}`);
  const file = join(srvDir, 'Caddyfile');
  writeFileSync(file, config);
  const child: ChildProcess = spawn(caddy, ['run', '--config', file, '--adapter', 'caddyfile'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOME: srvDir, XDG_DATA_HOME: srvDir, XDG_CONFIG_HOME: srvDir },
  });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-8192)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`caddy exited (${child.exitCode}):\n${log}`);
    const ready = await send(port, 'GET', '/healthz').then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (ready) break;
    if (attempt > 200) throw new Error(`caddy did not answer /healthz:\n${log}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    port,
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

describeWithCaddy('docker/Caddyfile (compose gateway) in a real Caddy', () => {
  const servers: Server[] = [];
  let built: ReturnType<typeof builtConsoleStandIn>;
  let srvDir: string;
  let gateway: RunningCaddy;
  let ports: { auth: number; users: number; analytics: number };

  beforeAll(async () => {
    const [auth, users, analytics] = await Promise.all([standIn('auth-api'), standIn('users-api'), standIn('admin-analytics')]);
    servers.push(auth.server, users.server, analytics.server);
    ports = { auth: auth.port, users: users.port, analytics: analytics.port };
    built = builtConsoleStandIn();
    srvDir = mkdtempSync(join(tmpdir(), 'caddy-srv-'));
    // The image's layout: the console under /srv/console.
    cpSync(built.dir, join(srvDir, 'console'), { recursive: true });
    gateway = await startCaddy(ports, srvDir);
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
    built?.remove();
    if (srvDir) rmSync(srvDir, { recursive: true, force: true });
  });

  it.each([
    ['/auth/login?next=%2Fhome', 'auth-api'],
    ['/.well-known/jwks.json', 'auth-api'],
    ['/account/security?tab=passkeys', 'auth-api'],
    ['/users?q=ma%C3%AFa&limit=5', 'users-api'],
    ['/users/6650f0c2a1b2c3d4e5f60718', 'users-api'],
    ['/analytics/signups?interval=week', 'admin-analytics'],
    ['/dashboard/api/login', 'admin-analytics'],
  ])('sends %s to %s with its path and query intact', async (path, service) => {
    const answer = await send(gateway.port, 'GET', path);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body) as Seen).toMatchObject({ service, method: 'GET', url: path });
  });

  it("passes a JSON body and the client's address, never one the client made up", async () => {
    const body = JSON.stringify({ email: 'ada@example.com', password: 'correct horse' });
    const answer = await send(gateway.port, 'POST', '/auth/login', {
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body,
    });
    const seen = JSON.parse(answer.body) as Seen;
    expect(seen).toMatchObject({ service: 'auth-api', method: 'POST', url: '/auth/login', body });
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.2');
  });

  it('redirects / and the old dashboard page to the console, and answers /healthz and unknown paths', async () => {
    expect((await send(gateway.port, 'GET', '/')).headers.location).toBe('/console/');
    expect((await send(gateway.port, 'GET', '/console')).headers.location).toBe('/console/');
    const dashboard = await send(gateway.port, 'GET', '/dashboard');
    expect(dashboard.status).toBe(302);
    expect(dashboard.headers.location).toBe('/console/analytics');
    expect(JSON.parse((await send(gateway.port, 'GET', '/healthz')).body)).toEqual({ status: 'ok' });
    const unknown = await send(gateway.port, 'GET', '/nothing-here');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ code: 'not_found' });
  });

  it.each(['/console/', '/console/people?q=ana&status=suspended', '/console/people/6650f0c2a1b2c3d4e5f60718'])(
    'answers %s with the console page, uncached, under a strict CSP',
    async (path) => expectConsolePage(await send(gateway.port, 'GET', path)),
  );

  it('serves hashed assets gzip-compressed and cached for a year; a missing one is a 404, not the page', async () => {
    const asset = await send(gateway.port, 'GET', '/console/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    expectConsoleAsset(asset, built.script, await send(gateway.port, 'GET', '/console/assets/index-gone.js'));
  });

  it("answers 502 in the services' error shape when a service is down", async () => {
    const downSrv = mkdtempSync(join(tmpdir(), 'caddy-down-'));
    const partial = await startCaddy({ ...ports, users: await freePort() }, downSrv);
    try {
      const answer = await send(partial.port, 'GET', '/users?q=ma');
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 502, code: 'service_unavailable' });
      expect((await send(partial.port, 'GET', '/auth/login')).status).toBe(200);
    } finally {
      await partial.stop();
      rmSync(downSrv, { recursive: true, force: true });
    }
  });
});
