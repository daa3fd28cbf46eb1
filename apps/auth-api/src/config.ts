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

    AUTH_ARGON2_MEMORY_KIB: count(19_456, 7_168, 4_194_304),
    AUTH_ARGON2_TIME_COST: count(2, 1, 100),
    AUTH_ARGON2_PARALLELISM: count(1, 1, 16),

    /** Consecutive failed logins that lock an account... */
    AUTH_LOCKOUT_THRESHOLD: count(5, 1, 100),
    /** ...for this long, doubling with each further failure... */
    AUTH_LOCKOUT_BASE_SECONDS: seconds(60, 1, 86_400),
    /** ...up to this much. */
    AUTH_LOCKOUT_MAX_SECONDS: seconds(3_600, 1, 7 * 86_400),

    /** Requests per IP per window on register, login and refresh (each route counted apart). */
    AUTH_THROTTLE_LIMIT: count(10, 1, 1_000_000),
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
    if (!meetsOwaspArgon2Minimum(config.AUTH_ARGON2_MEMORY_KIB, config.AUTH_ARGON2_TIME_COST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_ARGON2_MEMORY_KIB'],
        message: `with AUTH_ARGON2_TIME_COST=${config.AUTH_ARGON2_TIME_COST} is below the OWASP minimum for argon2id (e.g. 19456 KiB with 2 iterations)`,
      });
    }
    if (config.AUTH_LOCKOUT_MAX_SECONDS < config.AUTH_LOCKOUT_BASE_SECONDS) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_LOCKOUT_MAX_SECONDS'], message: 'must be at least AUTH_LOCKOUT_BASE_SECONDS' });
    }
  });
export type AuthApiConfig = z.infer<typeof configSchema>;
