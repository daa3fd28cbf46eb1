import { z } from 'zod';
import { baseConfigSchema, port } from '@directory/platform';

export const configSchema = baseConfigSchema.extend({
  PORT: port(3001),
});
export type AuthApiConfig = z.infer<typeof configSchema>;
