import { freePort } from '@directory/testing';
import type { Server } from 'node:http';
import { builtConsoleStandIn, expectConsoleAsset, expectConsolePage, send, standIn, type Seen } from './gateway-test-support';
import { startGateway, type Gateway, type GatewayUpstreams } from './gateway';

describe('the npm start gateway (tools/gateway.ts)', () => {
  const servers: Server[] = [];
  let upstreams: GatewayUpstreams;
  let gateway: Gateway;

  beforeAll(async () => {
    const [auth, users, analytics] = await Promise.all([standIn('auth-api'), standIn('users-api'), standIn('admin-analytics')]);
    servers.push(auth.server, users.server, analytics.server);
    upstreams = {
      auth: { name: 'auth-api', url: auth.url },
      users: { name: 'users-api', url: users.url },
      analytics: { name: 'admin-analytics', url: analytics.url },
    };
    gateway = await startGateway(upstreams, 0, '127.0.0.1');
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it.each([
    ['/auth/login?next=%2Fhome', 'auth-api'],
    ['/.well-known/jwks.json', 'auth-api'],
    ['/account/security?tab=passkeys', 'auth-api'],
    ['/users?q=ma%C3%AFa&limit=5', 'users-api'],
    ['/users/6650f0c2a1b2c3d4e5f60718', 'users-api'],
    ['/analytics/overview?days=30', 'admin-analytics'],
    ['/dashboard', 'admin-analytics'],
    ['/dashboard/login', 'admin-analytics'],
  ])('sends %s to %s with its path and query intact', async (path, service) => {
    const answer = await send(gateway.port, 'GET', path);
    expect(answer.status).toBe(200);
    const seen = JSON.parse(answer.body) as Seen;
    expect(seen).toMatchObject({ service, method: 'GET', url: path });
  });

  it('passes the method and a JSON body, and the Host the client asked for', async () => {
    const body = JSON.stringify({ email: 'ada@example.com', password: 'correct horse' });
    const answer = await send(gateway.port, 'POST', '/auth/login', { headers: { 'content-type': 'application/json' }, body });
    const seen = JSON.parse(answer.body) as Seen;
    expect(seen).toMatchObject({ service: 'auth-api', method: 'POST', url: '/auth/login', body });
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers.host).toBe(`127.0.0.1:${gateway.port}`);
  });

  it("tells the service the client's address in X-Forwarded-For, never one the client made up", async () => {
    const honest = JSON.parse((await send(gateway.port, 'GET', '/users')).body) as Seen;
    expect(honest.headers['x-forwarded-for']).toBe('127.0.0.2');

    const spoofed = await send(gateway.port, 'GET', '/users', {
      headers: { 'x-forwarded-for': '203.0.113.9', forwarded: 'for=203.0.113.9', 'x-forwarded-host': 'evil.example' },
    });
    const seen = JSON.parse(spoofed.body) as Seen;
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.2');
    expect(seen.headers.forwarded).toBeUndefined();
    expect(seen.headers['x-forwarded-host']).toBe(`127.0.0.1:${gateway.port}`);
  });

  it('redirects / to the account pages while no console is built, and answers its own /healthz', async () => {
    const home = await send(gateway.port, 'GET', '/');
    expect(home.status).toBe(302);
    expect(home.headers.location).toBe('/account/security');

    const health = await send(gateway.port, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });

    const unknown = await send(gateway.port, 'GET', '/nothing-here');
    expect(unknown.status).toBe(404);
  });

  it("rewrites a service's redirect to its own address onto the gateway", async () => {
    const answer = await send(gateway.port, 'GET', '/auth/moved');
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe(`http://127.0.0.1:${gateway.port}/account/security?from=moved`);
  });

  it('answers 502 naming a service that is down, without its address', async () => {
    const downPort = await freePort();
    const partial = await startGateway({ ...upstreams, users: { name: 'users-api', url: `http://127.0.0.1:${downPort}` } }, 0, '127.0.0.1');
    try {
      const answer = await send(partial.port, 'GET', '/users?q=ma');
      expect(answer.status).toBe(502);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(answer.body) as { statusCode: number; code: string; message: string };
      expect(body).toMatchObject({ statusCode: 502, code: 'service_unavailable' });
      expect(body.message).toContain('users-api');
      expect(answer.body).not.toContain(String(downPort));

      // The other services still answer through the same gateway.
      expect((await send(partial.port, 'GET', '/auth/login')).status).toBe(200);
    } finally {
      await partial.close();
    }
  });

  it('refuses a port that is taken', async () => {
    await expect(startGateway(upstreams, gateway.port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
  });

  describe('with the console built', () => {
    let built: ReturnType<typeof builtConsoleStandIn>;
    let withConsole: Gateway;

    beforeAll(async () => {
      built = builtConsoleStandIn();
      withConsole = await startGateway(upstreams, 0, '127.0.0.1', { consoleDir: built.dir });
    });

    afterAll(async () => {
      await withConsole?.close();
      built?.remove();
    });

    it('redirects / and the old dashboard page to the console; the dashboard API still reaches admin-analytics', async () => {
      expect((await send(withConsole.port, 'GET', '/')).headers.location).toBe('/console/');
      expect((await send(withConsole.port, 'GET', '/console')).headers.location).toBe('/console/');
      const dashboard = await send(withConsole.port, 'GET', '/dashboard');
      expect(dashboard.status).toBe(302);
      expect(dashboard.headers.location).toBe('/console/analytics');
      const api = await send(withConsole.port, 'POST', '/dashboard/api/login', { body: '{}' });
      expect(JSON.parse(api.body)).toMatchObject({ service: 'admin-analytics', url: '/dashboard/api/login' });
    });

    it.each(['/console/', '/console/people?q=ana&status=suspended', '/console/people/6650f0c2a1b2c3d4e5f60718'])(
      'answers %s with the page, uncached, under a strict CSP',
      async (path) => {
        expectConsolePage(await send(withConsole.port, 'GET', path));
      },
    );

    it('serves hashed assets gzip-compressed and cached for a year; a missing one is a 404, not the page', async () => {
      const asset = await send(withConsole.port, 'GET', '/console/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
      expectConsoleAsset(asset, built.script, await send(withConsole.port, 'GET', '/console/assets/index-gone.js'));
    });

    it('does not serve files outside the console directory', async () => {
      // serve-static refuses the traversal; the path then counts as a console route and gets the page.
      const answer = await send(withConsole.port, 'GET', '/console/%2e%2e/%2e%2e/etc/passwd');
      expect(answer.body).not.toContain('root:');
      expect(answer.status === 200 ? answer.body : '<title>Directory console</title>').toContain('<title>Directory console</title>');
      const asset = await send(withConsole.port, 'GET', '/console/assets/%2e%2e/%2e%2e/%2e%2e/package.json');
      expect(asset.status).toBe(404);
      expect(asset.body).not.toContain('"name"');
    });
  });
});
