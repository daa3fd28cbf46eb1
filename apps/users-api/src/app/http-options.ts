import type { HttpOptions } from '@directory/platform';

export const HTTP_OPTIONS: HttpOptions = {
  title: 'Directory — Users API',
  description: 'Profiles, directory search and admin user management of Directory.',
};
