/**
 * What tools/gateway.spec.ts and tools/caddyfile.spec.ts share: stand-in services, a request
 * from another loopback address, and a console build on disk. The two gateways (npm start's and
 * compose's Caddy) must answer the same routes the same way.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** What a stand-in service saw of a request. */
export interface Seen {
  service: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server standing in for a service: echoes the request, or redirects to its own address. */
export async function standIn(service: string): Promise<{ server: Server; url: string; port: number }> {
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
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, port };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  raw: Buffer;
}

/** A request from 127.0.0.2 (still this machine), so the client's address differs from the gateway's own. */
export function send(
  port: number,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: options.headers, localAddress: '127.0.0.2' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8'), raw });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A console build on disk: index.html and one hashed asset large enough to be worth compressing. */
export function builtConsoleStandIn(): { dir: string; script: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'console-'));
  const script = `console.log("${'directory console '.repeat(200)}");`;
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Directory console</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), script);
  return { dir, script, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The console page as both gateways must answer any path under /console/: uncached, strict CSP. */
export function expectConsolePage(answer: Answer): void {
  expect(answer.status).toBe(200);
  expect(answer.body).toContain('<title>Directory console</title>');
  expect(answer.headers['cache-control']).toBe('no-cache');
  expect(answer.headers['content-security-policy']).toContain("script-src 'self';");
  expect(answer.headers['content-security-policy']).toContain("connect-src 'self'");
  expect(answer.headers['x-frame-options']).toBe('DENY');
}

/** A hashed asset: gzip-compressed, cached for a year; a missing one is a 404, never the page. */
export function expectConsoleAsset(asset: Answer, script: string, missing: Answer): void {
  expect(asset.status).toBe(200);
  expect(asset.headers['content-encoding']).toBe('gzip');
  expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(gunzipSync(asset.raw).toString('utf8')).toBe(script);
  expect(asset.raw.length).toBeLessThan(script.length / 4);
  expect(missing.status).toBe(404);
  expect(missing.body).not.toContain('<title>');
  // A 404 cached for a year would outlive the next deploy.
  expect(missing.headers['cache-control']).toBe('no-store');
}
