import { createPublicKey, type KeyObject } from 'node:crypto';
import { isAccessTokenType, type AccessTokenAlgorithm } from '../access-token';
import { DEFAULT_JWKS_CACHE_TTL_MS, type AuthModuleOptions, type VerificationKeyLookup } from '../auth.options';
import { JwksCache } from './jwks-cache';
import { decodeJwtHeader } from './jwt-header';
import { InvalidAccessTokenError } from './token-errors';

/** passport-jwt's `secretOrKeyProvider` callback shape. */
export type SecretOrKeyProvider = (request: unknown, rawJwtToken: string, done: (error: Error | null, key?: KeyObject) => void) => void;

/** More distinct PEMs than this means something is off; start over rather than grow. */
const MAX_PARSED_KEYS = 32;

/**
 * Finds the key a token claims to be signed with, after refusing tokens whose header alone
 * disqualifies them: a `typ` other than `at+jwt`, or an algorithm outside the asymmetric
 * allow-list (so `none` and HS256-keyed-with-the-public-key never reach verification;
 * jsonwebtoken's `algorithms` option refuses them a second time).
 */
export class VerificationKeys {
  private readonly lookup: VerificationKeyLookup;
  /** PEM → parsed key: jsonwebtoken would otherwise parse the PEM again on every request. */
  private readonly parsed = new Map<string, KeyObject>();

  constructor(
    options: Pick<AuthModuleOptions, 'jwksUri' | 'verificationKey' | 'cacheTtlMs'>,
    private readonly algorithms: readonly AccessTokenAlgorithm[],
  ) {
    if (Boolean(options.jwksUri) === Boolean(options.verificationKey)) {
      throw new Error('AuthModule needs exactly one of `jwksUri` or `verificationKey`');
    }
    if (options.verificationKey) {
      this.lookup = options.verificationKey;
    } else {
      const jwks = new JwksCache({ jwksUri: options.jwksUri as string, cacheTtlMs: options.cacheTtlMs ?? DEFAULT_JWKS_CACHE_TTL_MS });
      this.lookup = (kid) => jwks.keyFor(kid);
    }
  }

  async keyFor(rawJwtToken: string): Promise<string> {
    const header = decodeJwtHeader(rawJwtToken);
    if (!header) throw new InvalidAccessTokenError('malformed token');
    const { alg, typ, kid } = header;
    if (typeof alg !== 'string' || !(this.algorithms as readonly string[]).includes(alg)) {
      throw new InvalidAccessTokenError('algorithm not allowed');
    }
    if (!isAccessTokenType(typ)) throw new InvalidAccessTokenError('not an access token');
    if (kid !== undefined && typeof kid !== 'string') throw new InvalidAccessTokenError('malformed kid');
    const key = await this.lookup(kid);
    if (!key) throw new InvalidAccessTokenError('unknown signing key');
    return key;
  }

  /** The same, parsed once per key, as passport-jwt hands it to jsonwebtoken. */
  readonly provider: SecretOrKeyProvider = (_request, rawJwtToken, done) => {
    this.keyFor(rawJwtToken)
      .then((pem) => this.parse(pem))
      .then(
        (key) => done(null, key),
        (error: Error) => done(error),
      );
  };

  private parse(pem: string): KeyObject {
    let key = this.parsed.get(pem);
    if (!key) {
      if (this.parsed.size >= MAX_PARSED_KEYS) this.parsed.clear();
      key = createPublicKey(pem);
      this.parsed.set(pem, key);
    }
    return key;
  }
}
