import { z } from 'zod';
import { baseConfigSchema, port } from '@directory/platform';

export const configSchema = baseConfigSchema.extend({
  PORT: port(3003),
  /** Time budget of every aggregation, in ms; past it the request answers 503. */
  ANALYTICS_MAX_TIME_MS: z.coerce.number().int().min(1).max(600_000).default(15_000),
});
export type AdminAnalyticsConfig = z.infer<typeof configSchema>;
