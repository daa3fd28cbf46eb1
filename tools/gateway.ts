/**
 * The one origin `npm start` opens (issue 15): a small reverse proxy in front of the three
 * services, so pages and browser code reach every API without CORS. docker-compose.yml runs
 * Caddy with the same routes (docker/Caddyfile).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** Until the admin console exists (issue 15), `/` opens the account pages every user has. */
export const HOME_PATH = '/account/security';

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

/** The gateway as a request listener: the routes above, `/` → HOME_PATH and its own `/healthz`. */
export function gatewayHandler(upstreams: GatewayUpstreams): (req: IncomingMessage, res: ServerResponse) => void {
  const proxies = new Map<Upstream, RequestHandler>(
    [upstreams.auth, upstreams.users, upstreams.analytics].map((upstream) => [upstream, proxyTo(upstream)]),
  );
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const upstream = upstreamFor(path, upstreams);
    if (upstream) {
      // The gateway is the edge: it trusts no forwarding headers a client sends, so a client cannot
      // pick the address the services see (httpxy's xfwd keeps an existing header as it is).
      for (const header of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded']) {
        delete req.headers[header];
      }
      void (proxies.get(upstream) as RequestHandler)(req, res);
    } else if (path === '/') {
      res.writeHead(302, { location: HOME_PATH });
      res.end();
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
export async function startGateway(upstreams: GatewayUpstreams, port: number, host = '0.0.0.0'): Promise<Gateway> {
  const server = createServer(gatewayHandler(upstreams));
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
