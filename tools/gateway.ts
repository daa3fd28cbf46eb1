/**
 * The one origin `npm start` opens (issue 15): a small reverse proxy in front of the three
 * services, so pages and browser code reach every API without CORS, and the admin console's
 * built files under /console/. docker-compose.yml runs Caddy with the same routes
 * (docker/Caddyfile).
 */
import compression from 'compression';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import serveStatic from 'serve-static';
import type { RequestHandler } from 'http-proxy-middleware';

// http-proxy-middleware 4 is ES modules only. Node 24 loads it with require(), but Jest's module
// loader (tools/gateway.spec.ts) does not and also stands in for node:module, so this asks Node itself.
const nodeRequire = process.getBuiltinModule('node:module').createRequire(__filename);
const { createProxyMiddleware } = nodeRequire('http-proxy-middleware') as typeof import('http-proxy-middleware');

export interface Upstream {
  /** Named in a 502 when the service is down; its URL never reaches a client. */
  name: string;
  url: string;
}

export interface GatewayUpstreams {
  auth: Upstream;
  users: Upstream;
  analytics: Upstream;
}

/** The service that answers a path; undefined for the gateway's own paths. */
export function upstreamFor(path: string, upstreams: GatewayUpstreams): Upstream | undefined {
  if (/^\/(auth|\.well-known|account)(\/|$)/.test(path)) return upstreams.auth;
  if (/^\/users(\/|$)/.test(path)) return upstreams.users;
  if (/^\/analytics(\/|$)/.test(path) || path.startsWith('/dashboard')) return upstreams.analytics;
  return undefined;
}

/** The admin console's base path (apps/admin-console/vite.config.mts `base`). */
export const CONSOLE_PATH = '/console/';
/** Without a built console, `/` opens the account pages every user has. */
export const ACCOUNT_HOME_PATH = '/account/security';

export interface GatewayOptions {
  /** The console's built files (dist/apps/admin-console); served under CONSOLE_PATH when they exist. */
  consoleDir?: string;
}

// The console talks only to its own origin and loads nothing from elsewhere. React sets no inline
// scripts; style attributes (chart bar widths) are the only inline styles it uses.
const CONSOLE_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The console's files, gzip-compressed: hashed assets cached for a year, and every other path
 * under /console/ answered with index.html (no-cache) so a shared link like
 * /console/people?q=ana opens the page the client-side router draws.
 */
function consoleHandler(consoleDir: string): (req: IncomingMessage, res: ServerResponse) => void {
  const setHeaders = (res: ServerResponse, path: string) => {
    for (const [name, value] of Object.entries(CONSOLE_HEADERS)) res.setHeader(name, value);
    res.setHeader('cache-control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  const files = serveStatic(consoleDir, { index: false, fallthrough: true, setHeaders });
  const indexFile = serveStatic(consoleDir, { index: false, fallthrough: false, setHeaders });
  const gzip = compression();
  return (req, res) => {
    const inner = (req.url ?? '/').slice(CONSOLE_PATH.length - 1) || '/';
    const path = inner.split('?')[0] as string;
    req.url = inner;
    gzip(req as never, res as never, () => {
      const isAsset = path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path);
      files(req, res, () => {
        if (isAsset) return sendJson(res, 404, { statusCode: 404, code: 'not_found', message: `No console file ${path}` });
        req.url = '/index.html';
        indexFile(req, res, () => undefined);
      });
    });
  };
}

function sendJson(res: ServerResponse, statusCode: number, body: object): void {
  res.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function proxyTo(upstream: Upstream): RequestHandler {
  return createProxyMiddleware({
    target: upstream.url,
    // Sets X-Forwarded-For (and -Proto, -Port, -Host) from the client's socket; the services trust
    // it from loopback peers only (TRUST_PROXY=loopback), so their lockout keys see the real client.
    xfwd: true,
    // The Host header is passed unchanged, and a redirect to the upstream's own address comes back
    // rewritten to the gateway's, so no response names a service's internal URL.
    autoRewrite: true,
    on: {
      // A service that is down answers 502 at once, in the services' error shape, naming the
      // service but not its address.
      error: (_error, _req, res) => {
        if (!('writeHead' in res)) return void res.destroy();
        if (res.headersSent) return void res.destroy();
        sendJson(res, 502, {
          statusCode: 502,
          code: 'service_unavailable',
          message: `${upstream.name} is not answering; try again shortly`,
        });
      },
    },
  });
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location });
  res.end();
}

/**
 * The gateway as a request listener: the routes above, the console under CONSOLE_PATH (`/` and
 * the old `/dashboard` page redirect to it) and its own `/healthz`.
 */
export function gatewayHandler(
  upstreams: GatewayUpstreams,
  options: GatewayOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const proxies = new Map<Upstream, RequestHandler>(
    [upstreams.auth, upstreams.users, upstreams.analytics].map((upstream) => [upstream, proxyTo(upstream)]),
  );
  // Checked per request: `npm start` starts the gateway before it builds the console.
  const consoleBuilt = () => options.consoleDir !== undefined && existsSync(join(options.consoleDir, 'index.html'));
  const serveConsole = options.consoleDir ? consoleHandler(options.consoleDir) : undefined;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    // The dashboard's charts are the console's analytics section now; its page on admin-analytics
    // stays for a deployment without the console (its API routes are still proxied).
    if ((path === '/dashboard' || path === '/dashboard/') && consoleBuilt()) return redirect(res, `${CONSOLE_PATH}analytics`);
    const upstream = upstreamFor(path, upstreams);
    if (upstream) {
      // The gateway is the edge: it trusts no forwarding headers a client sends, so a client cannot
      // pick the address the services see (httpxy's xfwd keeps an existing header as it is).
      for (const header of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded']) {
        delete req.headers[header];
      }
      void (proxies.get(upstream) as RequestHandler)(req, res);
    } else if (path === '/') {
      redirect(res, consoleBuilt() ? CONSOLE_PATH : ACCOUNT_HOME_PATH);
    } else if (path === CONSOLE_PATH.slice(0, -1)) {
      redirect(res, CONSOLE_PATH);
    } else if (path.startsWith(CONSOLE_PATH) && serveConsole) {
      if (!consoleBuilt())
        return sendJson(res, 503, {
          statusCode: 503,
          code: 'console_not_built',
          message: 'The console is not built yet: npx nx build admin-console',
        });
      serveConsole(req, res);
    } else if (path === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
    } else {
      sendJson(res, 404, { statusCode: 404, code: 'not_found', message: `No service answers ${path} on this gateway` });
    }
  };
}

export interface Gateway {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0: a free one); rejects when the port is taken. */
export async function startGateway(
  upstreams: GatewayUpstreams,
  port: number,
  host = '0.0.0.0',
  options: GatewayOptions = {},
): Promise<Gateway> {
  const server = createServer(gatewayHandler(upstreams, options));
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        // Keep-alive connections from browsers would otherwise hold the close open.
        server.closeAllConnections();
      }),
  };
}
