import type { HttpOptions } from '@directory/platform';

export const HTTP_OPTIONS: HttpOptions = {
  title: 'Directory — Users API',
  description:
    'Profiles, directory search and admin user management of Directory. Every route needs a bearer access token from auth-api. ' +
    'Lists are cursor-paginated: pass `nextCursor` back as `after`. Profile changes use optimistic concurrency: send the `version` you read as `If-Match: "<version>"`.',
};
