import { KeyObject } from 'node:crypto';
import type { FetchImplementation, JWSHeaderParameters, LocalJWKSet, RemoteJWKSet } from 'jose';
import { jose } from './jose';
import { KeySourceUnavailableError } from './token-errors';

export interface RemoteJwksOptions {
  jwksUri: string;
  /** How long a fetched key set is used before it is fetched again. */
  cacheTtlMs: number;
  /**
   * Fewest milliseconds between two fetches caused by unknown kids (a forged kid must not become
   * a request flood), and between two attempts while the issuer is unreachable. Default 6 s.
   */
  cooldownMs?: number;
  timeoutMs?: number;
}

/** What went wrong while the key set of an unreachable issuer is served from memory. */
interface Outage {
  since: number;
  /** The last key set fetched, if any. */
  lastKnown: LocalJWKSet | null;
  error: KeySourceUnavailableError;
}

/**
 * The issuer's public keys, from its JWKS endpoint through jose's `createRemoteJWKSet`, which
 * caches the set for `cacheTtlMs`, refetches for an unknown kid at most once per `cooldownMs`,
 * lets concurrent lookups share one request, and picks a key by `kid`, `alg`, `kty` and `use`
 * (public signature keys only; without a kid, only when exactly one key fits).
 *
 * What jose leaves to the caller: when a refetch fails, the keys already known keep working
 * (auth-api being briefly down must not log everyone out), and the endpoint is not asked again
 * before `cooldownMs` has passed; with no keys at all the failure is reported.
 */
export class RemoteJwks {
  private readonly remote: RemoteJWKSet;
  private readonly cooldownMs: number;
  private outage: Outage | null = null;

  constructor(private readonly options: RemoteJwksOptions) {
    this.cooldownMs = options.cooldownMs ?? 6_000;
    this.remote = jose.createRemoteJWKSet(new URL(options.jwksUri), {
      cacheMaxAge: options.cacheTtlMs,
      cooldownDuration: this.cooldownMs,
      timeoutDuration: options.timeoutMs ?? 5_000,
      [jose.customFetch]: this.fetchJwks,
    });
  }

  /** The key for a token's header, or undefined when the issuer publishes none that fits it. */
  async keyFor(header: Pick<JWSHeaderParameters, 'alg' | 'kid'>): Promise<KeyObject | undefined> {
    const outage = this.outage;
    if (outage && Date.now() - outage.since < this.cooldownMs) return this.fromLastKnown(outage, header);
    try {
      const key = await this.remote(header);
      this.outage = null;
      return KeyObject.from(key);
    } catch (error) {
      // Anything but a failed fetch means no key of the set fits this header.
      if (!(error instanceof KeySourceUnavailableError)) return undefined;
      const snapshot = this.remote.jwks();
      this.outage = { since: Date.now(), lastKnown: snapshot ? jose.createLocalJWKSet(snapshot) : null, error };
      return this.fromLastKnown(this.outage, header);
    }
  }

  private async fromLastKnown(outage: Outage, header: Pick<JWSHeaderParameters, 'alg' | 'kid'>): Promise<KeyObject | undefined> {
    if (!outage.lastKnown) throw outage.error;
    try {
      return KeyObject.from(await outage.lastKnown(header));
    } catch {
      return undefined;
    }
  }

  /**
   * jose's request, with every way the endpoint can fail (refused, timed out, not 200, not a
   * key set) reported as `KeySourceUnavailableError`, which `keyFor` tells apart from a key
   * that is simply not there. An entry that is not an object is dropped rather than spoiling
   * the set.
   */
  private readonly fetchJwks: FetchImplementation = async (url, init) => {
    try {
      const response = await fetch(url, init);
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      const document = (await response.json()) as { keys?: unknown } | null;
      if (!Array.isArray(document?.keys)) throw new Error('not a JWKS document');
      const keys = document.keys.filter((jwk: unknown) => jwk !== null && typeof jwk === 'object' && !Array.isArray(jwk));
      return Response.json({ keys });
    } catch (error) {
      throw new KeySourceUnavailableError(
        `cannot fetch the JWKS from ${this.options.jwksUri}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
}
