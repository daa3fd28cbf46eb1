/**
 * admin-analytics' own error codes; shared meanings (validation_failed, not_found, forbidden,
 * time_budget_exceeded) come from PlatformErrorCode.
 */
export const AnalyticsErrorCode = {
  /** `from` is not before `to` (to is exclusive). */
  InvalidRange: 'invalid_range',
  /** The range (or cohort window) spans more than ANALYTICS_MAX_RANGE_DAYS. */
  RangeTooLarge: 'range_too_large',
  /** The dashboard's sign-in could not reach auth-api, or auth-api failed. */
  AuthUnavailable: 'auth_unavailable',
} as const;
export type AnalyticsErrorCode = (typeof AnalyticsErrorCode)[keyof typeof AnalyticsErrorCode];
