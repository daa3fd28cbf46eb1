import { isApiError } from '../api/api-error';

/** What an admin can do about an error, by its code; the service's own message otherwise. */
function explain(error: unknown): string {
  if (isApiError(error, 'mfa_required'))
    return 'Admins need a sign-in with a second factor. Add one on your account page (/account/security), then sign in again.';
  if (isApiError(error, 'forbidden')) return 'Admin role required for this.';
  if (isApiError(error, 'rate_limited')) return 'Too many requests; wait a moment and try again.';
  if (isApiError(error, 'service_unavailable')) return `${error.message}.`;
  if (isApiError(error) && error.status >= 500)
    return `The service failed${error.body?.errorId ? ` (error id ${error.body.errorId})` : ''}; try again.`;
  if (isApiError(error)) return error.message;
  return 'The service could not be reached; check your connection and try again.';
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <span>{explain(error)}</span>
      {onRetry && (
        <button type="button" className="button-quiet" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
