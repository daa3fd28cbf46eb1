import { z } from 'zod';
import { baseConfigSchema, port } from '@directory/platform';

export const configSchema = baseConfigSchema.extend({
  PORT: port(3002),
});
export type UsersApiConfig = z.infer<typeof configSchema>;
