import { assertRecentAuthentication, assertRecentFactor, hasRecentFactor, STEP_UP_MAX_AGE_MS } from './recent-factor.guard';
import { claimsToUser } from '../verification/claims';

describe('step-up: a recent second factor', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it('a user who signed in with a password only (no factor enrolled) passes', () => {
    expect(hasRecentFactor({ amr: ['pwd'], authTime: ago(60 * 60_000) }, now)).toBe(true);
    expect(hasRecentFactor({}, now)).toBe(true);
  });

  it('a user with a factor needs it verified within 5 minutes', () => {
    expect(hasRecentFactor({ amr: ['pwd', 'otp', 'mfa'], authTime: ago(STEP_UP_MAX_AGE_MS) }, now)).toBe(true);
    expect(hasRecentFactor({ amr: ['pwd', 'otp', 'mfa'], authTime: ago(STEP_UP_MAX_AGE_MS + 1) }, now)).toBe(false);
    expect(hasRecentFactor({ amr: ['swk', 'mfa'], authTime: ago(1000) }, now)).toBe(true);
  });

  it('`mfa` without a second-factor method or without auth_time is not enough', () => {
    expect(hasRecentFactor({ amr: ['pwd', 'mfa'], authTime: ago(1000) }, now)).toBe(false);
    expect(hasRecentFactor({ amr: ['pwd', 'otp', 'mfa'] }, now)).toBe(false);
  });

  it('answers 401 step_up_required', () => {
    expect(() => assertRecentFactor({ amr: ['pwd', 'otp', 'mfa'], authTime: ago(10 * 60_000) }, now)).toThrow(
      expect.objectContaining({ response: expect.objectContaining({ code: 'step_up_required' }), status: 401 }),
    );
  });

  it('adding a way to sign in: a password-only session must be fresh (reauthentication_required), a factor session must step up', () => {
    const code = (fn: () => void) => {
      try {
        fn();
        return 'passed';
      } catch (error) {
        return (error as { response: { code: string } }).response.code;
      }
    };
    expect(code(() => assertRecentAuthentication({ amr: ['pwd'], authTime: ago(STEP_UP_MAX_AGE_MS) }, now))).toBe('passed');
    expect(code(() => assertRecentAuthentication({ amr: ['pwd'], authTime: ago(STEP_UP_MAX_AGE_MS + 1) }, now))).toBe(
      'reauthentication_required',
    );
    expect(code(() => assertRecentAuthentication({}, now))).toBe('reauthentication_required');
    expect(code(() => assertRecentAuthentication({ amr: ['pwd', 'otp', 'mfa'], authTime: ago(1000) }, now))).toBe('passed');
    expect(code(() => assertRecentAuthentication({ amr: ['hwk', 'user', 'mfa'], authTime: ago(STEP_UP_MAX_AGE_MS + 1) }, now))).toBe(
      'step_up_required',
    );
  });

  it('tokens read amr and auth_time; older tokens without them count as a password login at iat', () => {
    const base = { sub: 'a'.repeat(24), iat: 1_800_000_000, exp: 1_800_000_900, jti: 'j', roles: ['member'] };
    expect(claimsToUser(base)).toMatchObject({ amr: ['pwd'], authTime: new Date(1_800_000_000_000) });
    expect(claimsToUser({ ...base, amr: ['pwd', 'otp', 'mfa'], auth_time: 1_800_000_100 })).toMatchObject({
      amr: ['pwd', 'otp', 'mfa'],
      authTime: new Date(1_800_000_100_000),
    });
    expect(claimsToUser({ ...base, amr: 'pwd' })).toBeNull();
    expect(claimsToUser({ ...base, auth_time: 'yesterday' })).toBeNull();
  });
});
