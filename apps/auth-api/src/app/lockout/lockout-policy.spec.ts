import { lockDurationSeconds, retryAfterSeconds } from './lockout-policy';

describe('lockout policy', () => {
  const policy = { threshold: 5, baseSeconds: 60, maxSeconds: 3600 };

  it('does not lock below the threshold', () => {
    for (let failures = 0; failures < 5; failures++) expect(lockDurationSeconds(failures, policy)).toBe(0);
  });

  it('locks at the threshold and doubles with each further failure, up to the cap', () => {
    expect([5, 6, 7, 8, 9, 10, 11].map((failures) => lockDurationSeconds(failures, policy))).toEqual([60, 120, 240, 480, 960, 1920, 3600]);
    expect(lockDurationSeconds(1_000, policy)).toBe(3600);
  });

  it('rounds Retry-After up to whole seconds, never 0', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');
    expect(retryAfterSeconds(new Date('2026-01-01T00:01:00.000Z'), now)).toBe(60);
    expect(retryAfterSeconds(new Date('2026-01-01T00:00:00.200Z'), now)).toBe(1);
    expect(retryAfterSeconds(now, now)).toBe(1);
  });
});
