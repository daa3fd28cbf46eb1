/** The token is not acceptable (bad signature, claims, type, revoked...): always a 401. */
export class InvalidAccessTokenError extends Error {
  override readonly name = 'InvalidAccessTokenError';
}

/** The issuer's key set could not be fetched: the token may be fine, we cannot tell (503). */
export class KeySourceUnavailableError extends Error {
  override readonly name = 'KeySourceUnavailableError';
}
