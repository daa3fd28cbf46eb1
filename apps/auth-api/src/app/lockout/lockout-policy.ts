import type { LockoutParameters } from '../auth-settings';

/**
 * How long an account stays locked after `failedAttempts` consecutive failures: nothing
 * below the threshold; at the threshold the base duration, doubling with each further
 * failure (each one made after the previous lock expired), capped at the maximum.
 */
export function lockDurationSeconds(failedAttempts: number, policy: LockoutParameters): number {
  if (failedAttempts < policy.threshold) return 0;
  const doublings = Math.min(failedAttempts - policy.threshold, 30); // 2^30 × base is past any cap
  return Math.min(policy.baseSeconds * 2 ** doublings, policy.maxSeconds);
}

/** Whole seconds until `lockedUntil`, at least 1: the value of a `Retry-After` header. */
export function retryAfterSeconds(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}
