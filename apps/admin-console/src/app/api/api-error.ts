import type { DirectoryError } from '@directory/client';

/** A service's error answer, thrown so TanStack Query and forms see one shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** Stable: `version_conflict`, `forbidden`, `mfa_required`, `validation_failed`… */
    readonly code: string,
    message: string,
    readonly body?: DirectoryError,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function messageOf(body: DirectoryError | undefined, status: number): string {
  if (!body) return `The service answered ${status}`;
  return Array.isArray(body.message) ? body.message.join('; ') : body.message;
}

/**
 * An openapi-fetch result's data, or an ApiError for an error answer. A 204 has no data:
 * callers of such routes ignore the return value.
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const body = result.error as DirectoryError | undefined;
  throw new ApiError(result.response.status, body?.code ?? `http_${result.response.status}`, messageOf(body, result.response.status), body);
}

export const isApiError = (error: unknown, code?: string): error is ApiError =>
  error instanceof ApiError && (code === undefined || error.code === code);
