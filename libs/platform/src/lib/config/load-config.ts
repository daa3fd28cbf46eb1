import { isIP } from 'node:net';
import { z } from 'zod';

/** A configuration problem, phrased as one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const booleanFlag = z.enum(['true', 'false', '1', '0'], { message: 'must be true or false' }).transform((v) => v === 'true' || v === '1');

const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IPv4/IPv6 address or CIDR block, or one of Express' names for address ranges. */
function trustedProxyEntry(entry: string): boolean {
  if (TRUST_PROXY_NAMES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/**
 * `TRUST_PROXY`: which peers may tell a service the client's address in `X-Forwarded-For`
 * (Express `trust proxy`). Unset: none, `req.ip` is the TCP peer. A hop count (`1`), or an
 * explicit comma-separated list of addresses, CIDR blocks and `loopback`/`linklocal`/`uniquelocal`.
 * `true` (trust every peer, so any client could pick its address) is refused on purpose.
 */
const trustProxy = z
  .string()
  .transform((value, ctx): number | string[] => {
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed);
    const entries = trimmed
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const bad = entries.filter((entry) => !trustedProxyEntry(entry));
    if (entries.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a hop count or a comma-separated list of addresses, CIDR blocks, loopback, linklocal or uniquelocal${bad.length ? ` (not: ${bad.join(', ')})` : ''}`,
      });
      return z.NEVER;
    }
    return entries;
  })
  .optional();

const port = (fallback: number) => z.coerce.number({ message: 'must be a port number' }).int().min(1).max(65535).default(fallback);

/** Variables every service reads; each app extends this with its own. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  MONGODB_URI: z
    .string({ message: 'is required (e.g. mongodb://localhost:27017/?replicaSet=rs0)' })
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://'),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name')
    .default('directory'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Build indexes on start; defaults to true outside production (`npm run sync-indexes` there). */
  AUTO_INDEX: booleanFlag.optional(),
  HOST: z.string().default('0.0.0.0'),
  TRUST_PROXY: trustProxy,
  /**
   * When set, `GET /metrics` needs `Authorization: Bearer <token>` (401 otherwise); unset keeps it
   * open for a scraper on a private network (ASVS 5.0 13.4.5).
   */
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it is sent in an HTTP header)')
    .optional(),
  /** Serve the OpenAPI UI and document at `/docs` and `/docs/openapi.json`; default true except in production. */
  DOCS_ENABLED: booleanFlag.optional(),
});
export type BaseConfig = z.infer<typeof baseConfigSchema>;

export { booleanFlag, port };

/**
 * Parses the environment against a schema. Any problem becomes a `ConfigError` whose message
 * names each bad variable on one line, e.g. `MONGODB_URI is required (...)`.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  // Empty strings mean "unset" (docker-compose and shells often pass VAR= through).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || 'configuration';
    const absent = issue.path.length > 0 && cleaned[String(issue.path[0])] === undefined;
    const message = issue.code === 'invalid_type' && absent ? 'is required' : issue.message;
    return `${name} ${message}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

/** OpenAPI docs policy: served in development and tests, not in production unless asked (ASVS 5.0 13.4.5). */
export function docsEnabled(config: Partial<Pick<BaseConfig, 'NODE_ENV' | 'DOCS_ENABLED'>>): boolean {
  return config.DOCS_ENABLED ?? config.NODE_ENV !== 'production';
}

/** `autoIndex` policy: on in development and tests, off in production unless asked. */
export function autoIndexEnabled(config: Pick<BaseConfig, 'NODE_ENV' | 'AUTO_INDEX'>): boolean {
  return config.AUTO_INDEX ?? config.NODE_ENV !== 'production';
}
