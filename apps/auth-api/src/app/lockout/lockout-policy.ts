/** Whole seconds until `lockedUntil`, at least 1: the value of a `Retry-After` header. */
export function retryAfterSeconds(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}
