import { z } from 'zod';
import { baseConfigSchema, booleanFlag, port } from '@directory/platform';
import { DEFAULT_ACCESS_TOKEN_AUDIENCE, DEFAULT_ACCESS_TOKEN_ISSUER } from '@directory/auth';
import { factorKeySetting, oldFactorKeysSetting } from '@directory/credentials';
import { webAuthnProblems } from './app/passkeys/webauthn-settings';

const seconds = (fallback: number, min: number, max: number) =>
  z.coerce.number({ message: 'must be a number of seconds' }).int().min(min).max(max).default(fallback);
const count = (fallback: number, min: number, max: number) =>
  z.coerce.number({ message: 'must be a whole number' }).int().min(min).max(max).default(fallback);

/** PEM from an environment variable; `\n` escapes are accepted because many tools cannot pass newlines. */
const pem = z
  .string()
  .transform((value) => value.replace(/\\n/g, '\n').trim())
  .refine((value) => /^-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----$/.test(value), 'must be PEM text (-----BEGIN ...-----)');

/**
 * OWASP Password Storage Cheat Sheet: argon2id with one of these (memory KiB, iterations)
 * pairs, parallelism 1, or anything at least as strong in both.
 */
export const OWASP_ARGON2ID_MINIMUMS: ReadonlyArray<readonly [memoryKiB: number, timeCost: number]> = [
  [47104, 1],
  [19456, 2],
  [12288, 3],
  [9216, 4],
  [7168, 5],
];

export function meetsOwaspArgon2Minimum(memoryKiB: number, timeCost: number): boolean {
  return OWASP_ARGON2ID_MINIMUMS.some(([m, t]) => memoryKiB >= m && timeCost >= t);
}

export const configSchema = baseConfigSchema
  .extend({
    PORT: port(3001),
    /** Where development state lives (the generated signing key); `npm start` sets it to <repo>/.data. */
    DIRECTORY_DATA_DIR: z.string().min(1).default('.data'),

    AUTH_JWT_ISSUER: z.string().min(1).default(DEFAULT_ACCESS_TOKEN_ISSUER),
    AUTH_JWT_AUDIENCE: z.string().min(1).default(DEFAULT_ACCESS_TOKEN_AUDIENCE),
    /** RSA private key (PKCS#8 or PKCS#1 PEM, at least 2048 bits) that signs access tokens. */
    AUTH_JWT_PRIVATE_KEY: pem.optional(),
    /** More public keys (PEM blocks, concatenated) published in the JWKS: the previous key while keys rotate. */
    AUTH_JWT_PUBLIC_KEYS: z
      .string()
      .transform((value) => value.replace(/\\n/g, '\n'))
      .optional(),
    AUTH_ACCESS_TOKEN_TTL: seconds(900, 60, 3600),
    /** A refresh token expires this long after its last use... */
    AUTH_REFRESH_TOKEN_TTL: seconds(14 * 86_400, 300, 90 * 86_400),
    /** ...and its session this long after login, however often it was refreshed. */
    AUTH_SESSION_MAX_AGE: seconds(30 * 86_400, 300, 365 * 86_400),
    /**
     * Server secret from which a refresh token's successor is derived (HMAC), so two requests
     * racing with one token get the same new pair. Required in production; development and
     * tests generate one per process.
     */
    AUTH_REFRESH_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
    /** A refresh token already rotated away still returns its successor this long after the rotation (0: never). */
    AUTH_REFRESH_GRACE_SECONDS: seconds(10, 0, 60),

    AUTH_ARGON2_MEMORY_KIB: count(19_456, 7_168, 4_194_304),
    AUTH_ARGON2_TIME_COST: count(2, 1, 100),
    AUTH_ARGON2_PARALLELISM: count(1, 1, 16),

    /**
     * Failed logins are counted per key in a sliding window of this length (the failure
     * ledger in MongoDB); older failures stop counting, so every lock decays by itself.
     */
    AUTH_LOCKOUT_WINDOW_SECONDS: seconds(900, 1, 86_400),
    /** Failures within the window that lock one (email, source address) pair... */
    AUTH_LOCKOUT_THRESHOLD: count(5, 1, 100),
    /** ...and, from all sources together, the email itself (must be higher). */
    AUTH_LOCKOUT_ACCOUNT_THRESHOLD: count(20, 1, 10_000),
    /** Failed logins within the window, over all emails, after which a source address is refused. */
    AUTH_LOGIN_FAILURES_PER_IP: count(100, 1, 1_000_000),
    /**
     * HMAC-SHA256 key for the email (and address) keys of the failure ledger: no email is stored
     * in clear, and a leaked ledger cannot be reversed with a dictionary. Required in production.
     */
    AUTH_EMAIL_HASH_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 48)').optional(),

    /**
     * Abuse ceiling: requests per IP per window on register, login and refresh (each route counted
     * apart; successes included, so it is high). Failed logins have their own, low, limits above.
     */
    AUTH_THROTTLE_LIMIT: count(600, 1, 1_000_000),
    AUTH_THROTTLE_TTL_SECONDS: seconds(60, 1, 86_400),

    /**
     * Outgoing mail server, e.g. smtp://user:pass@mail.internal:587 or smtps://…:465. Required in
     * production; elsewhere, without it, messages wait in the outbox (`npm start` runs a catcher).
     */
    SMTP_URL: z
      .string()
      .refine((value) => /^smtps?:\/\/[^\s]+$/.test(value), 'must be an smtp:// or smtps:// URL (e.g. smtp://127.0.0.1:1025)')
      .optional(),
    MAIL_FROM: z.string().min(3).max(200).default('Directory <no-reply@directory.localhost>'),
    /** Where people open the links mail carries (this origin serves /account/*). Required in production. */
    PUBLIC_URL: z
      .string()
      .url('must be an absolute URL such as https://directory.example.com')
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
    /** Refuse login until the email is verified; default on in production, off elsewhere. */
    AUTH_REQUIRE_VERIFIED_EMAIL: booleanFlag.optional(),
    /** Admin routes refuse a token without a second factor (403 mfa_required); default on in production, off elsewhere. */
    AUTH_REQUIRE_MFA_FOR_ADMINS: booleanFlag.optional(),
    /** Mails of one kind (reset, verification) per address per hour; more requests still answer 202. */
    AUTH_MAILS_PER_HOUR: count(5, 1, 1000),
    /** How long an invitation link stays valid. */
    AUTH_INVITATION_TTL: seconds(7 * 86_400, 3600, 30 * 86_400),

    /** How often the sender looks for due messages (it is also woken at once by this replica's writes). */
    OUTBOX_POLL_MS: count(1000, 20, 60_000),
    /** Deliveries in flight at once per replica (each its own SMTP connection). */
    OUTBOX_CONCURRENCY: count(4, 1, 32),
    /** Attempts before a message is marked failed. */
    OUTBOX_MAX_ATTEMPTS: count(8, 1, 50),
    /** First retry delay; each further retry doubles it (with jitter). */
    OUTBOX_BACKOFF_MS: count(2000, 10, 3_600_000),
    /** A claimed attempt without an outcome after this long was interrupted (the sender died mid-delivery). */
    OUTBOX_LEASE_SECONDS: seconds(60, 1, 3600),

    /**
     * AES-256-GCM key (32 random bytes, base64: `openssl rand -base64 32`) that seals second-factor
     * secrets (TOTP seeds) at rest. Required in production; development uses a fixed key.
     */
    AUTH_FACTOR_ENCRYPTION_KEY: factorKeySetting.optional(),
    /**
     * Keys being rotated out, `keyId:base64` comma-separated (keyId = first 8 hex digits of the key's
     * SHA-256): secrets sealed with them still open; new secrets are sealed with the current key.
     */
    AUTH_FACTOR_ENCRYPTION_KEYS_OLD: oldFactorKeysSetting,

    /** WebAuthn relying party ID: the domain passkeys are scoped to (default: PUBLIC_URL's host; never an IP address). */
    AUTH_WEBAUTHN_RP_ID: z.string().trim().toLowerCase().min(1).max(253).optional(),
    /** The name authenticators show when a passkey is created. */
    AUTH_WEBAUTHN_RP_NAME: z.string().trim().min(1).max(64).optional(),
    /** Page origins passkey ceremonies may come from, comma-separated (default: PUBLIC_URL's origin). */
    AUTH_WEBAUTHN_ORIGINS: z.string().optional(),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && !config.AUTH_JWT_PRIVATE_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_JWT_PRIVATE_KEY'],
        message: 'is required in production (an RSA private key in PEM; development generates one)',
      });
    }
    if (config.NODE_ENV === 'production' && !config.AUTH_REFRESH_TOKEN_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_REFRESH_TOKEN_SECRET'],
        message:
          'is required in production (at least 32 random characters, e.g. `openssl rand -base64 32`; the same on every auth-api replica)',
      });
    }
    if (config.NODE_ENV === 'production' && !config.SMTP_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message: 'is required in production (e.g. smtp://user:password@mail.internal:587)',
      });
    }
    if (config.NODE_ENV === 'production' && !config.PUBLIC_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'is required in production: the origin links in mail point to (e.g. https://directory.example.com)',
      });
    }
    if (!meetsOwaspArgon2Minimum(config.AUTH_ARGON2_MEMORY_KIB, config.AUTH_ARGON2_TIME_COST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_ARGON2_MEMORY_KIB'],
        message: `with AUTH_ARGON2_TIME_COST=${config.AUTH_ARGON2_TIME_COST} is below the OWASP minimum for argon2id (e.g. 19456 KiB with 2 iterations)`,
      });
    }
    if (config.AUTH_LOCKOUT_ACCOUNT_THRESHOLD < config.AUTH_LOCKOUT_THRESHOLD) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_LOCKOUT_ACCOUNT_THRESHOLD'], message: 'must be at least AUTH_LOCKOUT_THRESHOLD' });
    }
    if (config.NODE_ENV === 'production' && !config.AUTH_FACTOR_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_FACTOR_ENCRYPTION_KEY'],
        message:
          'is required in production (32 random bytes in base64, e.g. `openssl rand -base64 32`; the same on every auth-api replica)',
      });
    }
    for (const [path, message] of webAuthnProblems(config, config.PUBLIC_URL ?? `http://localhost:${config.PORT}`)) {
      ctx.addIssue({ code: 'custom', path: [path], message });
    }
    if (config.NODE_ENV === 'production' && !config.AUTH_EMAIL_HASH_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_EMAIL_HASH_SECRET'],
        message:
          'is required in production (a random secret of at least 32 characters, e.g. openssl rand -base64 48; development uses a fixed one)',
      });
    }
  });
export type AuthApiConfig = z.infer<typeof configSchema>;
