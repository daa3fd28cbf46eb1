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

/**
 * Why a JWKS URL may not be used, or undefined when it may: an http(s) URL always; in production
 * https only (ASVS 5.0 12.3.1, 12.3.3: keys that verify every token must not cross the network
 * in clear), unless `allowHttp` records that plain http is a deliberate choice on a private
 * network (e.g. a TLS-terminating sidecar). Apps call it from their config schema, so a bad URL
 * stops the service at start with one line.
 */
export function jwksUriProblem(uri: string, policy: { production: boolean; allowHttp?: boolean }): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.protocol === 'http:' && policy.production && !policy.allowHttp) {
    return 'must be an https:// URL in production (the keys that verify every access token must not travel in clear); set AUTH_JWKS_ALLOW_HTTP=true only for a private network you trust';
  }
  return undefined;
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
    const url = new URL(options.jwksUri);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`the JWKS URL must be an http(s) URL, not ${url.protocol}`);
    this.remote = jose.createRemoteJWKSet(url, {
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
   *
   * Redirects are never followed, whatever jose passes: keys come from the configured URL only
   * (ASVS 5.0 9.1.3), and a redirect could lead to another host or from https down to http
   * (12.3.1). A 3xx is an unavailable key source like any other non-200.
   */
  private readonly fetchJwks: FetchImplementation = async (url, init) => {
    try {
      const response = await fetch(url, { ...init, redirect: 'manual' });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        throw new Error(`redirect (HTTP ${response.status}) refused`);
      }
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
