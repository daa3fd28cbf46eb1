import { z } from 'zod';
import { baseConfigSchema, port } from '@directory/platform';
import { DEFAULT_ACCESS_TOKEN_AUDIENCE, DEFAULT_ACCESS_TOKEN_ISSUER } from '@directory/auth';

const milliseconds = (fallback: number, max: number) =>
  z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(0).max(max).default(fallback);

export const configSchema = baseConfigSchema.extend({
  PORT: port(3002),
  /** auth-api's key set; access tokens are verified against it (no shared secret). */
  AUTH_JWKS_URI: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL (e.g. http://auth-api:3001/.well-known/jwks.json)' })
    .default('http://127.0.0.1:3001/.well-known/jwks.json'),
  /** Must equal auth-api's AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE (same names, same defaults). */
  AUTH_JWT_ISSUER: z.string().min(1).default(DEFAULT_ACCESS_TOKEN_ISSUER),
  AUTH_JWT_AUDIENCE: z.string().min(1).default(DEFAULT_ACCESS_TOKEN_AUDIENCE),
  /** How long a user's revocation state is cached; bounds how long a suspended user's token keeps working elsewhere. */
  AUTH_REVOCATION_CACHE_MS: milliseconds(5_000, 60_000),
});
export type UsersApiConfig = z.infer<typeof configSchema>;
