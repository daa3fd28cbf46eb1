import type { HttpOptions } from '@directory/platform';

export const HTTP_OPTIONS: HttpOptions = {
  title: 'Directory — Auth API',
  description: 'Registration, login, tokens and the JWKS of Directory.',
  // Large enough that an oversized field (e.g. a 1 MB password) reaches validation and gets a
  // field-level 400; parsing 2 MB is cheap next to one argon2 hash, which validation prevents.
  bodyLimit: '2mb',
};
