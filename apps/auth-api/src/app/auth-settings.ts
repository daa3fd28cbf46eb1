import { createHash, randomBytes } from 'node:crypto';
import { decodeFactorKey, parseOldFactorKeys } from '@directory/credentials';
import type { AuthApiConfig } from '../config';
import { webAuthnSettings, type WebAuthnSettings } from './passkeys/webauthn-settings';

export interface Argon2Parameters {
  /** KiB. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface LockoutParameters {
  /** Sliding window in which failures count. */
  windowSeconds: number;
  /** Failures per (email, source) pair within the window that lock the pair. */
  pairThreshold: number;
  /** Failures per email, from all sources, within the window that lock the email. */
  accountThreshold: number;
  /** Failures per source address, over all emails, within the window that refuse the source. */
  sourceThreshold: number;
}

export interface MailSettings {
  /** Unset outside production: messages wait in the outbox and nothing is sent. */
  smtpUrl?: string;
  from: string;
  /** Origin of the links in mail, without a trailing slash. */
  publicUrl: string;
  pollMs: number;
  /** Deliveries in flight at once per replica. */
  concurrency: number;
  maxAttempts: number;
  backoffMs: number;
  leaseSeconds: number;
}

/** Outside production only: the ledger's HMAC key when AUTH_EMAIL_HASH_SECRET is not set (config refuses that in production). */
export const DEVELOPMENT_EMAIL_HASH_SECRET = 'directory-development-email-hash-secret-not-for-production';

/**
 * Outside production only: the key that seals second-factor secrets when AUTH_FACTOR_ENCRYPTION_KEY
 * is not set (config refuses that in production). Fixed, so development data survives restarts.
 */
export const DEVELOPMENT_FACTOR_ENCRYPTION_KEY = createHash('sha256')
  .update('directory-development-factor-encryption-key-not-for-production')
  .digest();

/** The keys second-factor secrets are sealed with (current) and may still be opened with (old). */
export interface FactorKeySettings {
  current: Buffer;
  old: Buffer[];
}

/** The auth policy, read once from the validated configuration. */
export class AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly sessionMaxAgeSeconds: number;
  /** Derives each refresh token's successor (see nextRefreshToken). */
  readonly refreshTokenSecret: string;
  readonly refreshGraceSeconds: number;
  readonly argon2: Argon2Parameters;
  readonly lockout: LockoutParameters;
  readonly emailHashSecret: string;
  readonly throttle: { limit: number; ttlSeconds: number };
  readonly mail: MailSettings;
  readonly requireVerifiedEmail: boolean;
  readonly mailsPerHour: number;
  /** Lifetime of each kind of one-time token. */
  readonly tokenTtlSeconds: Record<'emailVerification' | 'passwordReset' | 'invitation' | 'emailChange', number>;
  readonly factorKeys: FactorKeySettings;
  /** WebAuthn relying party: RP ID, name, allowed origins. */
  readonly webauthn: WebAuthnSettings;

  constructor(config: AuthApiConfig) {
    this.issuer = config.AUTH_JWT_ISSUER;
    this.audience = config.AUTH_JWT_AUDIENCE;
    this.accessTokenTtlSeconds = config.AUTH_ACCESS_TOKEN_TTL;
    this.refreshTokenTtlSeconds = config.AUTH_REFRESH_TOKEN_TTL;
    this.sessionMaxAgeSeconds = config.AUTH_SESSION_MAX_AGE;
    // Production requires the secret (config.ts); elsewhere one per process is enough.
    this.refreshTokenSecret = config.AUTH_REFRESH_TOKEN_SECRET ?? randomBytes(32).toString('base64url');
    this.refreshGraceSeconds = config.AUTH_REFRESH_GRACE_SECONDS;
    this.argon2 = {
      memoryCost: config.AUTH_ARGON2_MEMORY_KIB,
      timeCost: config.AUTH_ARGON2_TIME_COST,
      parallelism: config.AUTH_ARGON2_PARALLELISM,
    };
    this.lockout = {
      windowSeconds: config.AUTH_LOCKOUT_WINDOW_SECONDS,
      pairThreshold: config.AUTH_LOCKOUT_THRESHOLD,
      accountThreshold: config.AUTH_LOCKOUT_ACCOUNT_THRESHOLD,
      sourceThreshold: config.AUTH_LOGIN_FAILURES_PER_IP,
    };
    this.emailHashSecret = config.AUTH_EMAIL_HASH_SECRET ?? DEVELOPMENT_EMAIL_HASH_SECRET;
    this.throttle = { limit: config.AUTH_THROTTLE_LIMIT, ttlSeconds: config.AUTH_THROTTLE_TTL_SECONDS };
    this.mail = {
      smtpUrl: config.SMTP_URL,
      from: config.MAIL_FROM,
      publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
      pollMs: config.OUTBOX_POLL_MS,
      concurrency: config.OUTBOX_CONCURRENCY,
      maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
      backoffMs: config.OUTBOX_BACKOFF_MS,
      leaseSeconds: config.OUTBOX_LEASE_SECONDS,
    };
    this.requireVerifiedEmail = config.AUTH_REQUIRE_VERIFIED_EMAIL ?? config.NODE_ENV === 'production';
    this.mailsPerHour = config.AUTH_MAILS_PER_HOUR;
    this.tokenTtlSeconds = {
      emailVerification: 24 * 3600,
      passwordReset: 30 * 60,
      invitation: config.AUTH_INVITATION_TTL,
      emailChange: 3600,
    };
    const oldFactorKeys = config.AUTH_FACTOR_ENCRYPTION_KEYS_OLD
      ? parseOldFactorKeys(config.AUTH_FACTOR_ENCRYPTION_KEYS_OLD)
      : { keys: [] };
    this.factorKeys = {
      current:
        (config.AUTH_FACTOR_ENCRYPTION_KEY && decodeFactorKey(config.AUTH_FACTOR_ENCRYPTION_KEY)) || DEVELOPMENT_FACTOR_ENCRYPTION_KEY,
      old: 'keys' in oldFactorKeys ? oldFactorKeys.keys : [],
    };
    this.webauthn = webAuthnSettings(config, this.mail.publicUrl);
  }
}
