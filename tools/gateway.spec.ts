import { freePort } from '@directory/testing';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway, type Gateway, type GatewayUpstreams } from './gateway';

/** What a stand-in service saw of a request. */
interface Seen {
  service: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server standing in for a service: echoes the request, or redirects to its own address. */
async function standIn(service: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/auth/moved') {
        // An absolute redirect to the service's own address, as a careless handler might send.
        const { port } = server.address() as AddressInfo;
        res.writeHead(302, { location: `http://127.0.0.1:${port}/account/security?from=moved` }).end();
        return;
      }
      const seen: Seen = { service, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request from 127.0.0.2 (still this machine), so the client's address differs from the gateway's own. */
function send(
  port: number,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: options.headers, localAddress: '127.0.0.2' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

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

  it('redirects / to the account pages and answers its own /healthz', async () => {
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
});
