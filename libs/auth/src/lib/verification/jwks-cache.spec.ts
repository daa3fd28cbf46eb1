import { generateKeyPairSync } from 'node:crypto';
import { JwksCache, parseJwks } from './jwks-cache';
import { KeySourceUnavailableError } from './token-errors';

function publicJwk(kid: string) {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

const A = publicJwk('a');
const B = publicJwk('b');

/** A fetch whose answers the test sets; counts requests. */
function fakeFetch() {
  const state = { keys: [A] as object[], fail: false, requests: 0 };
  const fetchFn = (async () => {
    state.requests += 1;
    if (state.fail) throw new Error('ECONNREFUSED');
    return new Response(JSON.stringify({ keys: state.keys }), { status: 200 });
  }) as unknown as typeof fetch;
  return { state, fetchFn };
}

describe('JwksCache', () => {
  let now = 0;
  const make = (fetchFn: typeof fetch) =>
    new JwksCache({ jwksUri: 'http://auth/.well-known/jwks.json', cacheTtlMs: 60_000, minRefetchIntervalMs: 6_000, now: () => now, fetch: fetchFn });

  beforeEach(() => {
    now = 1_000_000;
  });

  it('fetches once, then serves known kids from the cache until the TTL passes', async () => {
    const { state, fetchFn } = fakeFetch();
    const cache = make(fetchFn);
    const [first, second] = await Promise.all([cache.keyFor('a'), cache.keyFor('a')]);
    expect(first).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(second).toBe(first);
    expect(state.requests).toBe(1);
    now += 59_999;
    await cache.keyFor('a');
    expect(state.requests).toBe(1);
    now += 1;
    await cache.keyFor('a');
    expect(state.requests).toBe(2);
  });

  it('refetches for an unknown kid (a rotated-in key), at most once per interval', async () => {
    const { state, fetchFn } = fakeFetch();
    const cache = make(fetchFn);
    await cache.keyFor('a');
    state.keys = [A, B];
    now += 6_000;
    expect(await cache.keyFor('b')).toMatch(/PUBLIC KEY/);
    expect(state.requests).toBe(2);
    expect(await cache.keyFor('forged-1')).toBeUndefined();
    expect(await cache.keyFor('forged-2')).toBeUndefined();
    expect(state.requests).toBe(2); // within the interval: no request for made-up kids
    now += 6_000;
    expect(await cache.keyFor('forged-3')).toBeUndefined();
    expect(state.requests).toBe(3);
  });

  it('keeps serving known keys when the issuer is down, and says so when it has none', async () => {
    const { state, fetchFn } = fakeFetch();
    const cache = make(fetchFn);
    await cache.keyFor('a');
    state.fail = true;
    now += 120_000;
    expect(await cache.keyFor('a')).toMatch(/PUBLIC KEY/);
    expect(await cache.keyFor('unknown')).toBeUndefined();

    const empty = make(fetchFn);
    await expect(empty.keyFor('a')).rejects.toBeInstanceOf(KeySourceUnavailableError);
    await expect(empty.keyFor('a')).rejects.toBeInstanceOf(KeySourceUnavailableError); // rate-limited, still an outage
  });

  it('without a kid, picks the only key, never one of several', async () => {
    const { state, fetchFn } = fakeFetch();
    const cache = make(fetchFn);
    expect(await cache.keyFor(undefined)).toMatch(/PUBLIC KEY/);
    state.keys = [A, B];
    now += 60_000;
    expect(await cache.keyFor(undefined)).toBeUndefined();
  });

  it('skips entries that are private, for encryption, without kid or unreadable', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keys = parseJwks({
      keys: [
        A,
        { ...B, use: 'enc' },
        { ...privateKey.export({ format: 'jwk' }), kid: 'private' },
        { ...A, kid: undefined },
        { kty: 'RSA', kid: 'broken', e: 'AQAB' },
        { kty: 'oct', kid: 'hmac', k: 'c2VjcmV0' },
      ],
    });
    expect([...keys.keys()]).toEqual(['a']);
    expect(() => parseJwks({ nope: true })).toThrow();
  });
});
