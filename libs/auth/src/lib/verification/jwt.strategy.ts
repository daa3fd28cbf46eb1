import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { ExtractJwt, Strategy, type SecretOrKeyProvider as PassportKeyProvider, type StrategyOptions } from 'passport-jwt';
import type { AuthenticatedUser } from '../authenticated-user';
import { AUTH_MODULE_OPTIONS, type AuthModuleOptions } from '../auth.options';
import { acceptedAlgorithms } from './algorithms';
import { claimsToUser } from './claims';
import { InvalidAccessTokenError } from './token-errors';
import { TokenRevocation } from './token-revocation';
import { VerificationKeys } from './verification-keys';

/** The passport name of the first (in production the only) `AuthModule` of a process. */
export const JWT_STRATEGY = 'jwt';

/** Names this process has registered with passport; see `JwtStrategy.getPassportInstance`. */
const registeredNames = new Set<string>();

function takeStrategyName(): string {
  let name = JWT_STRATEGY;
  for (let n = 2; registeredNames.has(name); n += 1) name = `${JWT_STRATEGY}-${n}`;
  registeredNames.add(name);
  return name;
}

function strategyOptions(options: AuthModuleOptions): Extract<StrategyOptions, { passReqToCallback?: false }> {
  const algorithms = acceptedAlgorithms(options.algorithms);
  return {
    jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
    // Typed string | Buffer, but passed straight to jsonwebtoken, which takes the KeyObject.
    secretOrKeyProvider: new VerificationKeys(options, algorithms).provider as unknown as PassportKeyProvider,
    issuer: options.issuer,
    audience: options.audience,
    algorithms,
    ignoreExpiration: false,
  };
}

/**
 * passport-jwt's strategy for Directory access tokens: the key comes from `VerificationKeys`
 * (header checks, then the JWKS or the in-process lookup), jsonwebtoken checks the signature,
 * `iss`, `aud`, `exp` and the algorithm, and `validate` the claims and the revocation state.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) implements OnModuleDestroy {
  constructor(
    @Inject(AUTH_MODULE_OPTIONS) options: AuthModuleOptions,
    private readonly revocation: TokenRevocation,
  ) {
    super(strategyOptions(options));
  }

  /** The payload's signature, issuer, audience and expiry are verified by now. */
  async validate(payload: Record<string, unknown>): Promise<AuthenticatedUser> {
    const user = claimsToUser(payload);
    if (!user) throw new InvalidAccessTokenError('missing or malformed claims');
    if (await this.revocation.isRevoked(user.id, payload['iat'] as number, user.sessionId)) throw new InvalidAccessTokenError('revoked');
    return user;
  }

  /**
   * Called by `PassportStrategy` to register this strategy. passport's registry is
   * process-wide, and one process may hold several apps with different key sources (auth-api
   * verifying in-process next to users-api verifying through the JWKS, in the e2e tests):
   * under one shared name they would replace each other. So each instance takes a name of its
   * own (`jwt`, then `jwt-2`, ...) and `JwtAuthGuard` authenticates with that name.
   */
  getPassportInstance(): passport.PassportStatic {
    this.name = takeStrategyName();
    return passport;
  }

  onModuleDestroy(): void {
    passport.unuse(this.name);
    registeredNames.delete(this.name);
  }
}
