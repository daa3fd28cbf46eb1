import { Injectable, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { AuthSettings } from '../auth-settings';
import { TooManyAttemptsException } from './account-errors';

/**
 * A high per-IP ceiling on register, login and refresh (AUTH_THROTTLE_LIMIT, 600/min by
 * default), against floods only: it counts every request, so it must stay far above what an
 * office behind one NAT address does legitimately. Failed logins have their own low limits
 * in the failure ledger (LoginLedger). In memory, per replica: a ceiling, not a security
 * boundary. Its 429 is auth-api's one 429 (code `rate_limited`, `Retry-After` set by the guard).
 */
@Injectable()
export class AbuseCeilingGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new TooManyAttemptsException(Math.max(1, detail.timeToBlockExpire));
  }
}

/**
 * What a module whose routes use AbuseCeilingGuard imports. In memory, so per replica: the
 * failure limits (per email, per email and address, per address) live in MongoDB (LoginLedger)
 * and hold across replicas.
 */
export function abuseCeilingThrottler(): DynamicModule {
  return ThrottlerModule.forRootAsync({
    inject: [AuthSettings],
    useFactory: (settings: AuthSettings) => ({
      throttlers: [{ ttl: settings.throttle.ttlSeconds * 1000, limit: settings.throttle.limit }],
    }),
  });
}
