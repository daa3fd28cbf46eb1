import type { AuthApiConfig } from '../config';

export interface Argon2Parameters {
  /** KiB. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface LockoutParameters {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
}

/** The auth policy, read once from the validated configuration. */
export class AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly sessionMaxAgeSeconds: number;
  readonly argon2: Argon2Parameters;
  readonly lockout: LockoutParameters;
  readonly throttle: { limit: number; ttlSeconds: number };

  constructor(config: AuthApiConfig) {
    this.issuer = config.AUTH_JWT_ISSUER;
    this.audience = config.AUTH_JWT_AUDIENCE;
    this.accessTokenTtlSeconds = config.AUTH_ACCESS_TOKEN_TTL;
    this.refreshTokenTtlSeconds = config.AUTH_REFRESH_TOKEN_TTL;
    this.sessionMaxAgeSeconds = config.AUTH_SESSION_MAX_AGE;
    this.argon2 = {
      memoryCost: config.AUTH_ARGON2_MEMORY_KIB,
      timeCost: config.AUTH_ARGON2_TIME_COST,
      parallelism: config.AUTH_ARGON2_PARALLELISM,
    };
    this.lockout = {
      threshold: config.AUTH_LOCKOUT_THRESHOLD,
      baseSeconds: config.AUTH_LOCKOUT_BASE_SECONDS,
      maxSeconds: config.AUTH_LOCKOUT_MAX_SECONDS,
    };
    this.throttle = { limit: config.AUTH_THROTTLE_LIMIT, ttlSeconds: config.AUTH_THROTTLE_TTL_SECONDS };
  }
}
