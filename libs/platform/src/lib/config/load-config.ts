import { z } from 'zod';

/** A configuration problem, phrased as one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const booleanFlag = z.enum(['true', 'false', '1', '0'], { message: 'must be true or false' }).transform((v) => v === 'true' || v === '1');

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

/** `autoIndex` policy: on in development and tests, off in production unless asked. */
export function autoIndexEnabled(config: Pick<BaseConfig, 'NODE_ENV' | 'AUTO_INDEX'>): boolean {
  return config.AUTO_INDEX ?? config.NODE_ENV !== 'production';
}
