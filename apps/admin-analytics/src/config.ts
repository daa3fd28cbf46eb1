import { z } from 'zod';
import { baseConfigSchema, booleanFlag, port } from '@directory/platform';
import { DEFAULT_ACCESS_TOKEN_AUDIENCE, DEFAULT_ACCESS_TOKEN_ISSUER, jwksUriProblem } from '@directory/auth';

const milliseconds = (fallback: number, min: number, max: number) =>
  z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(min).max(max).default(fallback);

const httpUrl = (example: string) => z.url({ protocol: /^https?$/, message: `must be an http(s) URL (e.g. ${example})` });

const fields = baseConfigSchema.extend({
  PORT: port(3003),
  /** auth-api's key set; access tokens are verified against it (no shared secret). */
  AUTH_JWKS_URI: httpUrl('http://auth-api:3001/.well-known/jwks.json').default('http://127.0.0.1:3001/.well-known/jwks.json'),
  /** Production requires an https AUTH_JWKS_URI; true accepts plain http there (a private network you trust, e.g. docker-compose). */
  AUTH_JWKS_ALLOW_HTTP: booleanFlag.default(false),
  /** Must equal auth-api's AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE (same names, same defaults). */
  AUTH_JWT_ISSUER: z.string().min(1).default(DEFAULT_ACCESS_TOKEN_ISSUER),
  AUTH_JWT_AUDIENCE: z.string().min(1).default(DEFAULT_ACCESS_TOKEN_AUDIENCE),
  /** How long a user's revocation state is cached; bounds how long a suspended admin's token keeps working here. */
  AUTH_REVOCATION_CACHE_MS: milliseconds(5_000, 0, 60_000),
  /**
   * Admin routes refuse a token without a second factor (403 mfa_required); default on in production,
   * off elsewhere. Set it alike on every service.
   */
  AUTH_REQUIRE_MFA_FOR_ADMINS: booleanFlag.optional(),
  /** auth-api's base URL as this service reaches it: the dashboard's sign-in is forwarded to `<url>/auth/login`. */
  AUTH_PUBLIC_URL: httpUrl('http://auth-api:3001')
    .default('http://127.0.0.1:3001')
    .transform((url) => url.replace(/\/+$/, '')),
  /** Widest from..to range any endpoint accepts, in days; wider → 400. */
  ANALYTICS_MAX_RANGE_DAYS: z.coerce.number({ message: 'must be a whole number of days' }).int().min(1).max(3_660).default(366),
  /** Time budget of every aggregation, in ms; past it the request answers 503. */
  ANALYTICS_MAX_TIME_MS: milliseconds(15_000, 1, 600_000),
  /** How long an answer is reused for the same parameters (a dashboard refresh storm hits the database once); 0 disables. */
  ANALYTICS_CACHE_TTL_MS: milliseconds(30_000, 0, 3_600_000),
});
/** AUTH_JWKS_URI must be https in production (ASVS 5.0 12.3.1, 12.3.3), unless AUTH_JWKS_ALLOW_HTTP says otherwise. */
export const configSchema = fields.superRefine((config, ctx) => {
  const problem = jwksUriProblem(config.AUTH_JWKS_URI, {
    production: config.NODE_ENV === 'production',
    allowHttp: config.AUTH_JWKS_ALLOW_HTTP,
  });
  if (problem) ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URI'], message: problem });
});
export type AdminAnalyticsConfig = z.infer<typeof configSchema>;
