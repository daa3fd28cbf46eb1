import type { HttpOptions } from '@directory/platform';

export const HTTP_OPTIONS: HttpOptions = {
  title: 'Directory — Auth API',
  description: 'Registration, login, tokens and the JWKS of Directory.',
};
