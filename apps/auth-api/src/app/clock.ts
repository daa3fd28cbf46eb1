/**
 * The time every auth decision uses (lockout windows, session expiry, token `iat`/`exp`,
 * event instants). Injected, so tests move time forward instead of sleeping.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
