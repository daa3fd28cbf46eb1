import { z } from 'zod';
import { baseConfigSchema, booleanFlag, port } from '@directory/platform';
import { DEFAULT_ACCESS_TOKEN_AUDIENCE, DEFAULT_ACCESS_TOKEN_ISSUER, jwksUriProblem } from '@directory/auth';

const milliseconds = (fallback: number, max: number) =>
  z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(0).max(max).default(fallback);

const fields = baseConfigSchema.extend({
  PORT: port(3002),
  /** auth-api's key set; access tokens are verified against it (no shared secret). */
  AUTH_JWKS_URI: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL (e.g. http://auth-api:3001/.well-known/jwks.json)' })
    .default('http://127.0.0.1:3001/.well-known/jwks.json'),
  /** Production requires an https AUTH_JWKS_URI; true accepts plain http there (a private network you trust, e.g. docker-compose). */
  AUTH_JWKS_ALLOW_HTTP: booleanFlag.default(false),
  /** Must equal auth-api's AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE (same names, same defaults). */
  AUTH_JWT_ISSUER: z.string().min(1).default(DEFAULT_ACCESS_TOKEN_ISSUER),
  AUTH_JWT_AUDIENCE: z.string().min(1).default(DEFAULT_ACCESS_TOKEN_AUDIENCE),
  /** How long a user's revocation state is cached; bounds how long a suspended user's token keeps working elsewhere. */
  AUTH_REVOCATION_CACHE_MS: milliseconds(5_000, 60_000),
  /**
   * Admin routes refuse a token without a second factor (403 mfa_required); default on in production,
   * off elsewhere. Set it alike on every service.
   */
  AUTH_REQUIRE_MFA_FOR_ADMINS: booleanFlag.optional(),
});
/** AUTH_JWKS_URI must be https in production (ASVS 5.0 12.3.1, 12.3.3), unless AUTH_JWKS_ALLOW_HTTP says otherwise. */
export const configSchema = fields.superRefine((config, ctx) => {
  const problem = jwksUriProblem(config.AUTH_JWKS_URI, {
    production: config.NODE_ENV === 'production',
    allowHttp: config.AUTH_JWKS_ALLOW_HTTP,
  });
  if (problem) ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URI'], message: problem });
});
export type UsersApiConfig = z.infer<typeof configSchema>;
