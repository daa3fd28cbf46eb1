import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { KeySourceUnavailableError } from './token-errors';

export interface JwksCacheOptions {
  jwksUri: string;
  /** How long a fetched key set is used before it is fetched again. */
  cacheTtlMs: number;
  /** Fewest milliseconds between two fetches caused by unknown kids (a forged kid must not become a request flood). */
  minRefetchIntervalMs?: number;
  timeoutMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

interface KeySet {
  fetchedAt: number;
  /** kid → public key in PEM. */
  keys: Map<string, string>;
}

const SIGNATURE_KEY_TYPES = new Set(['RSA', 'EC']);

/** Public keys of a JWKS document as PEM by kid; keys for encryption or without a kid are skipped. */
export function parseJwks(document: unknown): Map<string, string> {
  const keys = new Map<string, string>();
  const list = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new Error('not a JWKS document');
  for (const jwk of list as Array<JsonWebKey & { kid?: unknown; use?: unknown }>) {
    if (typeof jwk?.kid !== 'string' || !SIGNATURE_KEY_TYPES.has(jwk.kty as string)) continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if ('d' in jwk) continue; // a private key has no business in a JWKS; never use one
    try {
      keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString());
    } catch {
      // An unreadable entry does not spoil the others.
    }
  }
  return keys;
}

/**
 * The issuer's public keys, fetched from its JWKS endpoint and cached, as jwks-rsa does
 * (which cannot be used here: it depends on jose 6, an ES-module-only package that the
 * CommonJS Jest runtime of this workspace cannot load; Node's crypto reads JWKs itself).
 *
 * - A known kid is served from the cache until `cacheTtlMs` has passed.
 * - An unknown kid refetches, at most once per `minRefetchIntervalMs`: that is how a key
 *   rotated in by auth-api is picked up without waiting for the cache to expire.
 * - Concurrent lookups share one request.
 * - When a refetch fails, keys already known keep working (auth-api being briefly down
 *   must not log everyone out); with no keys at all the failure is reported.
 */
export class JwksCache {
  private keySet: KeySet | null = null;
  private inFlight: Promise<KeySet> | null = null;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: JwksCacheOptions) {
    this.now = options.now ?? Date.now;
    this.fetcher = options.fetch ?? fetch;
  }

  /** The PEM key for `kid`, or undefined when the issuer does not publish it. */
  async keyFor(kid: string | undefined): Promise<string | undefined> {
    const now = this.now();
    const current = this.keySet;
    const cached = current ? this.pick(current, kid) : undefined;
    if (cached && current && now - current.fetchedAt < this.options.cacheTtlMs) return cached;
    // Join a request already under way; otherwise fetch only if the last attempt is old enough.
    const mayFetch = this.inFlight !== null || now - this.lastAttempt >= (this.options.minRefetchIntervalMs ?? 6_000);
    if (!mayFetch) return this.fallback(cached, current);
    try {
      return this.pick(await this.refresh(), kid);
    } catch (error) {
      return this.fallback(cached, current, error);
    }
  }

  /** Without a (successful) fetch: a known key, else "unknown kid", else the issuer is unreachable. */
  private fallback(cached: string | undefined, current: KeySet | null, error?: unknown): string | undefined {
    if (cached || current) return cached;
    throw error instanceof KeySourceUnavailableError ? error : new KeySourceUnavailableError(`no keys from ${this.options.jwksUri} yet`);
  }

  private pick(set: KeySet, kid: string | undefined): string | undefined {
    if (kid !== undefined) return set.keys.get(kid);
    // No kid: acceptable only when there is exactly one candidate.
    return set.keys.size === 1 ? [...set.keys.values()][0] : undefined;
  }

  private refresh(): Promise<KeySet> {
    this.inFlight ??= this.fetchKeySet().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async fetchKeySet(): Promise<KeySet> {
    this.lastAttempt = this.now();
    let document: unknown;
    try {
      const response = await this.fetcher(this.options.jwksUri, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = await response.json();
    } catch (error) {
      throw new KeySourceUnavailableError(
        `cannot fetch the JWKS from ${this.options.jwksUri}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const keys = parseJwks(document);
    this.keySet = { fetchedAt: this.now(), keys };
    return this.keySet;
  }
}
