import { HttpStatus } from '@nestjs/common';

/**
 * The `code` of an error body that no domain names: the status' HttpStatus name in lower case
 * (`NOT_FOUND` → `not_found`, `TOO_MANY_REQUESTS` → `too_many_requests`), or `http_<status>`
 * for a status Nest has no name for. Clients can switch on `code` for every error, including
 * Nest's own (unknown route, throttling) and body-parser's (413, 415).
 */
export type StatusErrorCode = Lowercase<keyof typeof HttpStatus> | `http_${number}`;

export function statusErrorCode(status: number): StatusErrorCode {
  const name = (HttpStatus as unknown as Record<number, string | undefined>)[status];
  return name ? (name.toLowerCase() as Lowercase<keyof typeof HttpStatus>) : `http_${status}`;
}

/**
 * Error codes every service shares. Domain codes live in each app's own map (AuthErrorCode,
 * UsersErrorCode, AnalyticsErrorCode); an app reuses these where the meaning is the same.
 */
export const PlatformErrorCode = {
  /** A DTO failed class-validator, or a document failed its schema. */
  ValidationFailed: 'validation_failed',
  /** A value could not be cast to the schema's type (e.g. an ObjectId). */
  InvalidValue: 'invalid_value',
  UnknownField: 'unknown_field',
  Duplicate: 'duplicate',
  VersionConflict: 'version_conflict',
  TimeBudgetExceeded: 'time_budget_exceeded',
  DatabaseUnavailable: 'database_unavailable',
  MalformedJson: 'malformed_json',
  JsonTooDeep: 'json_too_deep',
  // By the status rule above; named here because services throw or test them.
  BadRequest: 'bad_request',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  NotAcceptable: 'not_acceptable',
  PayloadTooLarge: 'payload_too_large',
  UnsupportedMediaType: 'unsupported_media_type',
  TooManyRequests: 'too_many_requests',
  InternalServerError: 'internal_server_error',
  ServiceUnavailable: 'service_unavailable',
} as const satisfies Record<string, string>;
export type PlatformErrorCode = (typeof PlatformErrorCode)[keyof typeof PlatformErrorCode];
