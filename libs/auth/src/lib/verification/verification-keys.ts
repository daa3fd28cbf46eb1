import { isAccessTokenType, type AccessTokenAlgorithm } from '../access-token';
import { DEFAULT_JWKS_CACHE_TTL_MS, type AuthModuleOptions, type VerificationKeyLookup } from '../auth.options';
import { JwksCache } from './jwks-cache';
import { decodeJwtHeader } from './jwt-header';
import { InvalidAccessTokenError } from './token-errors';

/** passport-jwt's `secretOrKeyProvider` callback shape. */
export type SecretOrKeyProvider = (request: unknown, rawJwtToken: string, done: (error: Error | null, key?: string) => void) => void;

/**
 * Finds the key a token claims to be signed with, after refusing tokens whose header alone
 * disqualifies them: a `typ` other than `at+jwt`, or an algorithm outside the asymmetric
 * allow-list (so `none` and HS256-keyed-with-the-public-key never reach verification;
 * jsonwebtoken's `algorithms` option refuses them a second time).
 */
export class VerificationKeys {
  private readonly lookup: VerificationKeyLookup;

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

  /** The same, as passport-jwt wants it. */
  readonly provider: SecretOrKeyProvider = (_request, rawJwtToken, done) => {
    this.keyFor(rawJwtToken).then(
      (key) => done(null, key),
      (error: Error) => done(error),
    );
  };
}
