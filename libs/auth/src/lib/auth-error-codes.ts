import { PlatformErrorCode } from '@directory/platform';

/** The `code` of every error the shared guards answer with. */
export const AuthGuardErrorCode = {
  /** Missing, malformed, expired, wrongly signed or revoked access token (401). */
  InvalidToken: 'invalid_token',
  /** The issuer's JWKS cannot be fetched and no key is known (503). */
  JwksUnavailable: 'jwks_unavailable',
  Forbidden: PlatformErrorCode.Forbidden,
  /** The route wants a second factor verified within the last few minutes (POST /auth/mfa/step-up), 401. */
  StepUpRequired: 'step_up_required',
  /** An admin route refused a token without a second factor (AUTH_REQUIRE_MFA_FOR_ADMINS), 403. */
  MfaRequired: 'mfa_required',
  /** Adding a sign-in method wants a sign-in within the last few minutes when the account has no factor to step up with, 401. */
  ReauthenticationRequired: 'reauthentication_required',
} as const;
export type AuthGuardErrorCode = (typeof AuthGuardErrorCode)[keyof typeof AuthGuardErrorCode];
