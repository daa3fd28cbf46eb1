import { retryAfterSeconds } from './lockout-policy';

describe('lockout policy', () => {
  it('rounds Retry-After up to whole seconds, never 0', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');
    expect(retryAfterSeconds(new Date('2026-01-01T00:01:00.000Z'), now)).toBe(60);
    expect(retryAfterSeconds(new Date('2026-01-01T00:00:00.200Z'), now)).toBe(1);
    expect(retryAfterSeconds(now, now)).toBe(1);
  });
});
