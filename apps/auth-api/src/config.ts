import { z } from 'zod';
import { baseConfigSchema, port } from '@directory/platform';
import { DEFAULT_ACCESS_TOKEN_AUDIENCE, DEFAULT_ACCESS_TOKEN_ISSUER } from '@directory/auth';

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
