import { createPublicKey, type KeyObject } from 'node:crypto';
import { isAccessTokenType, type AccessTokenAlgorithm } from '../access-token';
import { DEFAULT_JWKS_CACHE_TTL_MS, type AuthModuleOptions } from '../auth.options';
import { jose } from './jose';
import { RemoteJwks } from './remote-jwks';
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
  private readonly lookup: (header: { alg: string; kid?: string }) => Promise<KeyObject | undefined>;
  /** PEM → parsed key: jsonwebtoken would otherwise parse the PEM again on every request. */
  private readonly parsed = new Map<string, KeyObject>();

  constructor(
    options: Pick<AuthModuleOptions, 'jwksUri' | 'verificationKey' | 'cacheTtlMs'>,
    private readonly algorithms: readonly AccessTokenAlgorithm[],
  ) {
    const { jwksUri, verificationKey } = options;
    if (Boolean(jwksUri) === Boolean(verificationKey)) {
      throw new Error('AuthModule needs exactly one of `jwksUri` or `verificationKey`');
    }
    if (verificationKey) {
      this.lookup = async ({ kid }) => {
        const pem = await verificationKey(kid);
        return pem ? this.parse(pem) : undefined;
      };
    } else {
      const jwks = new RemoteJwks({ jwksUri: jwksUri as string, cacheTtlMs: options.cacheTtlMs ?? DEFAULT_JWKS_CACHE_TTL_MS });
      this.lookup = (header) => jwks.keyFor(header);
    }
  }

  async keyFor(rawJwtToken: string): Promise<KeyObject> {
    let header: Record<string, unknown>;
    try {
      header = jose.decodeProtectedHeader(rawJwtToken);
    } catch {
      throw new InvalidAccessTokenError('malformed token');
    }
    const { alg, typ, kid } = header;
    if (typeof alg !== 'string' || !(this.algorithms as readonly string[]).includes(alg)) {
      throw new InvalidAccessTokenError('algorithm not allowed');
    }
    if (!isAccessTokenType(typ)) throw new InvalidAccessTokenError('not an access token');
    if (kid !== undefined && typeof kid !== 'string') throw new InvalidAccessTokenError('malformed kid');
    const key = await this.lookup({ alg, kid });
    if (!key) throw new InvalidAccessTokenError('unknown signing key');
    return key;
  }

  /** The same, as passport-jwt asks for it (it hands the key to jsonwebtoken, which takes a KeyObject). */
  readonly provider: SecretOrKeyProvider = (_request, rawJwtToken, done) => {
    this.keyFor(rawJwtToken).then(
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
