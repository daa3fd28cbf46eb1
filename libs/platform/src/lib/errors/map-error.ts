import { HttpException, HttpStatus } from '@nestjs/common';
import mongoose from 'mongoose';
import { MongoErrorCode } from '@directory/connections';
import { JSON_PARSE_FAILED, JSON_TOO_DEEP } from '../http/json-depth';
import { PlatformErrorCode, statusErrorCode } from './error-codes';

export interface MappedError {
  status: number;
  /**
   * Client-facing body without request id; never a stack or internal detail. `code` is always
   * set: the thrower's, else the platform's, else derived from the status (statusErrorCode).
   */
  body: { statusCode: number; error: string; message: string | string[]; code: string };
  /** Unexpected errors are logged with their stack; expected ones are not. */
  unexpected: boolean;
}

const NO_SERVER_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'PoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
]);

/**
 * A MongoDB-compatible proxy answers for storage it cannot reach: FerretDB on PostgreSQL
 * reports a stopped or restarting PostgreSQL as an InternalError (code 1) carrying the driver's
 * text. For the client that is the same outage as a MongoDB server that is gone.
 */
const STORAGE_UNAVAILABLE =
  /failed to connect to `|dial error|the database system is (starting up|shutting down|in recovery)|terminating connection due to administrator command/;

function storageUnavailable(error: Error): boolean {
  return error.name === 'MongoServerError' && (error as { code?: unknown }).code === 1 && STORAGE_UNAVAILABLE.test(error.message);
}

function body(status: number, message: string | string[], code: string): MappedError['body'] {
  const error = (HttpStatus[status] ?? 'Error')
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
  return { statusCode: status, error, message, code };
}

function mapped(status: number, message: string | string[], code: string = statusErrorCode(status), unexpected = false): MappedError {
  return { status, body: body(status, message, code), unexpected };
}

/**
 * One place that turns anything thrown into an HTTP answer (ARCHITECTURE.md "Services"):
 * duplicate key → 409, cast/validation → 400, version conflict → 409, no server → 503,
 * time budget exceeded → 503, everything unknown → 500 without detail. Every body carries a
 * `code` (PlatformErrorCode, the thrower's own, or statusErrorCode's by status).
 */
export function mapError(error: unknown): MappedError {
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    if (typeof response === 'string') return mapped(status, response);
    const r = response as Record<string, unknown>;
    const message = (r['message'] as string | string[] | undefined) ?? error.message;
    const code = typeof r['code'] === 'string' ? r['code'] : statusErrorCode(status);
    const mappedError = mapped(status, message, code);
    // Terminus puts the per-indicator details on its 503; keep them for operators.
    for (const key of ['info', 'error', 'details', 'status'] as const) {
      if (r[key] !== undefined) (mappedError.body as Record<string, unknown>)[key] = r[key];
    }
    return mappedError;
  }
  if (error instanceof mongoose.Error.VersionError) {
    return mapped(409, 'The document was changed by someone else; reload it and try again', PlatformErrorCode.VersionConflict);
  }
  if (error instanceof mongoose.Error.ValidationError) {
    return mapped(
      400,
      Object.values(error.errors).map((e) => e.message),
      PlatformErrorCode.ValidationFailed,
    );
  }
  if (error instanceof mongoose.Error.CastError) {
    return mapped(400, `Invalid value for ${error.path}`, PlatformErrorCode.InvalidValue);
  }
  if (error instanceof mongoose.Error.StrictModeError) {
    return mapped(400, error.message, PlatformErrorCode.UnknownField);
  }
  if (error instanceof mongoose.Error.DocumentNotFoundError) {
    return mapped(404, 'Not found', PlatformErrorCode.NotFound);
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (code === MongoErrorCode.DuplicateKey) {
      const keys = Object.keys((error as { keyPattern?: object }).keyPattern ?? {});
      const what = keys.length ? keys.join(', ') : 'a unique field';
      return mapped(409, `A record with this ${what} already exists`, PlatformErrorCode.Duplicate);
    }
    if (code === MongoErrorCode.MaxTimeExpired || error.name === 'MongoOperationTimeoutError') {
      return mapped(503, 'The query exceeded its time budget; narrow the range or try again later', PlatformErrorCode.TimeBudgetExceeded);
    }
    if (NO_SERVER_ERRORS.has(error.name) || storageUnavailable(error)) {
      return mapped(503, 'The database is unavailable; try again shortly', PlatformErrorCode.DatabaseUnavailable);
    }
    // Errors from body-parser (malformed JSON, body too large, wrong charset) carry a 4xx status.
    const status = (error as { status?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (error as { type?: unknown }).type;
      if (type === JSON_PARSE_FAILED) return mapped(status, 'Malformed JSON body', PlatformErrorCode.MalformedJson);
      if (type === JSON_TOO_DEEP) return mapped(status, error.message, PlatformErrorCode.JsonTooDeep);
      return mapped(status, error.message);
    }
  }
  return mapped(500, 'Internal server error', PlatformErrorCode.InternalServerError, true);
}
