import type { HttpOptions } from '@directory/platform';

export const HTTP_OPTIONS: HttpOptions = {
  title: 'Directory — Admin analytics',
  description: 'Slow-connection aggregations and the admin dashboard of Directory.',
};
