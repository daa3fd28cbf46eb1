import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteJwks, type RemoteJwksOptions } from './remote-jwks';
import { KeySourceUnavailableError } from './token-errors';

function keyPair(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { publicKey, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

const A = keyPair('a');
const B = keyPair('b');
const pem = (key: KeyObject | undefined) => key?.export({ format: 'pem', type: 'spki' });

/** A real JWKS endpoint on loopback whose answers the test sets; counts requests. */
async function jwksServer() {
  const state = { body: { keys: [A.jwk] } as unknown, status: 200, hang: false, requests: 0 };
  const server: Server = createServer((request, response) => {
    state.requests += 1;
    if (state.hang) return; // never answers: the client must give up by itself
    response.writeHead(state.status, { 'content-type': 'application/json' }).end(JSON.stringify(state.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { state, uri, close };
}

// jose keeps time with the real clock (it is loaded outside Jest's module registry), so the
// durations are real and short; every assertion made "within" a duration is made at once.
const RS256 = (kid?: string) => ({ alg: 'RS256', ...(kid !== undefined && { kid }) });

describe('RemoteJwks (jose createRemoteJWKSet against a real HTTP endpoint)', () => {
  let server: Awaited<ReturnType<typeof jwksServer>>;
  const make = (options: Partial<RemoteJwksOptions> = {}) =>
    new RemoteJwks({ jwksUri: server.uri, cacheTtlMs: 60_000, cooldownMs: 1_500, ...options });

  beforeEach(async () => {
    server = await jwksServer();
  });
  afterEach(() => server.close());

  it('fetches once, then serves known kids from the cache until the TTL passes', async () => {
    const jwks = make({ cacheTtlMs: 1_000 });
    const [first, second] = await Promise.all([jwks.keyFor(RS256('a')), jwks.keyFor(RS256('a'))]);
    expect(pem(first)).toBe(pem(A.publicKey));
    expect(pem(second)).toBe(pem(A.publicKey));
    expect(server.state.requests).toBe(1); // concurrent lookups share one request
    await jwks.keyFor(RS256('a'));
    expect(server.state.requests).toBe(1);
    await sleep(1_050);
    expect(pem(await jwks.keyFor(RS256('a')))).toBe(pem(A.publicKey));
    expect(server.state.requests).toBe(2);
  });

  it('refetches for an unknown kid (a rotated-in key), at most once per cool-down', async () => {
    const jwks = make();
    await jwks.keyFor(RS256('a'));
    server.state.body = { keys: [A.jwk, B.jwk] };
    expect(await jwks.keyFor(RS256('b'))).toBeUndefined(); // within the cool-down of the first fetch
    expect(server.state.requests).toBe(1);
    await sleep(1_550);
    expect(pem(await jwks.keyFor(RS256('b')))).toBe(pem(B.publicKey));
    expect(server.state.requests).toBe(2);
    expect(await jwks.keyFor(RS256('forged-1'))).toBeUndefined();
    expect(await jwks.keyFor(RS256('forged-2'))).toBeUndefined();
    expect(server.state.requests).toBe(2); // within the cool-down: no request for made-up kids
    await sleep(1_550);
    expect(await jwks.keyFor(RS256('forged-3'))).toBeUndefined();
    expect(server.state.requests).toBe(3);
  });

  it('keeps serving known keys when the issuer is down, asks it again only after the cool-down, and recovers', async () => {
    const jwks = make({ cacheTtlMs: 300 });
    await jwks.keyFor(RS256('a'));
    server.state.status = 503;
    await sleep(350);
    expect(pem(await jwks.keyFor(RS256('a')))).toBe(pem(A.publicKey)); // stale, refetch failed
    expect(server.state.requests).toBe(2);
    expect(await jwks.keyFor(RS256('unknown'))).toBeUndefined();
    expect(pem(await jwks.keyFor(RS256('a')))).toBe(pem(A.publicKey));
    expect(server.state.requests).toBe(2); // no request to a failing issuer within the cool-down
    server.state.status = 200;
    server.state.body = { keys: [B.jwk] };
    await sleep(1_550);
    expect(pem(await jwks.keyFor(RS256('b')))).toBe(pem(B.publicKey));
    expect(await jwks.keyFor(RS256('a'))).toBeUndefined(); // the new set replaced the stale one
    expect(server.state.requests).toBe(3);
  });

  it('says so when it has no keys at all, without asking again within the cool-down', async () => {
    server.state.status = 500;
    const jwks = make();
    await expect(jwks.keyFor(RS256('a'))).rejects.toBeInstanceOf(KeySourceUnavailableError);
    await expect(jwks.keyFor(RS256('a'))).rejects.toThrow(/HTTP 500/); // rate-limited, still an outage
    expect(server.state.requests).toBe(1);
  });

  it.each([
    ['an endpoint that refuses connections', (s: Awaited<ReturnType<typeof jwksServer>>) => s.close(), /cannot fetch the JWKS/],
    ['a body that is not JSON', (s: Awaited<ReturnType<typeof jwksServer>>) => void (s.state.body = undefined), /cannot fetch the JWKS/],
    [
      'a document that is not a key set',
      (s: Awaited<ReturnType<typeof jwksServer>>) => void (s.state.body = { nope: true }),
      /not a JWKS document/,
    ],
    ['an endpoint that never answers', (s: Awaited<ReturnType<typeof jwksServer>>) => void (s.state.hang = true), /cannot fetch the JWKS/],
  ])('reports %s as KeySourceUnavailableError', async (_name, breakIt, message) => {
    await breakIt(server);
    const jwks = make({ timeoutMs: 300 });
    const lookup = jwks.keyFor(RS256('a'));
    await expect(lookup).rejects.toBeInstanceOf(KeySourceUnavailableError);
    await expect(lookup).rejects.toThrow(message);
  });

  // ASVS 5.0 9.1.3 (keys only from the trusted, pre-configured source) and 12.3.1: a redirect
  // could hand key verification to another host, or down to plain http; it is an outage instead.
  it.each([301, 302, 303, 307, 308])('refuses to follow a %d redirect, even to a valid key set', async (status) => {
    const elsewhere = await jwksServer(); // serves A's key: following the redirect would "work"
    const redirecting = createServer((_request, response) => {
      response.writeHead(status, { location: elsewhere.uri }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const uri = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/.well-known/jwks.json`;
      const lookup = new RemoteJwks({ jwksUri: uri, cacheTtlMs: 60_000, cooldownMs: 1_500 }).keyFor(RS256('a'));
      await expect(lookup).rejects.toBeInstanceOf(KeySourceUnavailableError);
      await expect(lookup).rejects.toThrow(new RegExp(`redirect \\(HTTP ${status}\\) refused`));
      expect(elsewhere.state.requests).toBe(0);
    } finally {
      redirecting.closeAllConnections();
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
      await elsewhere.close();
    }
  });

  it('refuses a key set URL that is not http(s)', () => {
    expect(() => new RemoteJwks({ jwksUri: 'file:///etc/jwks.json', cacheTtlMs: 1_000 })).toThrow(/must be an http\(s\) URL/);
  });

  it('without a kid, picks the only key, never one of several', async () => {
    const jwks = make({ cacheTtlMs: 300 });
    expect(pem(await jwks.keyFor(RS256()))).toBe(pem(A.publicKey));
    server.state.body = { keys: [A.jwk, B.jwk] };
    await sleep(350);
    expect(await jwks.keyFor(RS256())).toBeUndefined();
    expect(server.state.requests).toBe(2);
  });

  it('uses public signature keys only: entries that are private, for encryption, for another algorithm or unreadable are not', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    server.state.body = {
      keys: [
        A.jwk,
        { ...B.jwk, use: 'enc' },
        { ...privateKey.export({ format: 'jwk' }), kid: 'private' },
        { ...A.jwk, kid: 'rs512', alg: 'RS512' },
        { ...ec, kid: 'ec' },
        { kty: 'RSA', kid: 'broken', e: 'AQAB' },
        { kty: 'oct', kid: 'hmac', k: 'c2VjcmV0' },
        'not a key',
        null,
      ],
    };
    const jwks = make();
    expect(pem(await jwks.keyFor(RS256('a')))).toBe(pem(A.publicKey));
    for (const kid of ['b', 'private', 'rs512', 'ec', 'broken', 'hmac']) expect(await jwks.keyFor(RS256(kid))).toBeUndefined();
    expect(pem(await jwks.keyFor({ alg: 'ES256', kid: 'ec' }))).toMatch(/PUBLIC KEY/);
    expect(await jwks.keyFor({ alg: 'HS256', kid: 'hmac' })).toBeUndefined();
  });
});
