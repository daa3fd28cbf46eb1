import { dayKey, emailDomain, isoWeekKey, monthKey, normalizeText, parseDayKey, timeBucketKeys } from './normalize';

const utc = (iso: string) => new Date(iso);

describe('normalizeText', () => {
  it.each([
    ['  José Ñúñez ', 'jose nunez'],
    ['José Ñúñez', 'jose nunez'],
    ['Ñúñez', 'nunez'],
    ['ANNE-MARIE', 'anne-marie'],
    ['  Mary \t\n  Ann   Smith  ', 'mary ann smith'],
    ['Zoë Ångström', 'zoe angstrom'],
    ['François Çelik', 'francois celik'],
    ['İstanbul', 'istanbul'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('folds letters NFD keeps whole, so both spellings find each other (ß becomes "ss")', () => {
    expect(normalizeText('Straße')).toBe('strasse');
    expect(normalizeText('STRASSE')).toBe('strasse');
    expect(normalizeText('Łukasz Søren Æsir')).toBe('lukasz soren aesir');
  });

  it('turns empty and blank input into the empty string', () => {
    expect(normalizeText('')).toBe('');
    expect(normalizeText('   \t ')).toBe('');
    expect(normalizeText(null)).toBe('');
    expect(normalizeText(undefined)).toBe('');
  });

  it('is idempotent', () => {
    const once = normalizeText('  Ðórr  Þórsson ');
    expect(normalizeText(once)).toBe(once);
  });
});

describe('emailDomain', () => {
  it('returns the lowercased domain', () => {
    expect(emailDomain(' Ann@Example.COM ')).toBe('example.com');
    expect(emailDomain('"odd@local"@sub.example.org')).toBe('sub.example.org');
  });

  it('returns the empty string without an @', () => {
    expect(emailDomain('nobody')).toBe('');
    expect(emailDomain('')).toBe('');
    expect(emailDomain(null)).toBe('');
  });
});

describe('isoWeekKey', () => {
  it.each([
    ['2026-12-31T12:00:00Z', '2026-W53'],
    ['2027-01-01T00:00:00Z', '2026-W53'],
    ['2027-01-03T23:59:59.999Z', '2026-W53'],
    ['2027-01-04T00:00:00Z', '2027-W01'],
    ['2024-12-30T00:00:00Z', '2025-W01'],
    ['2024-12-29T23:59:59.999Z', '2024-W52'],
    ['2021-01-03T00:00:00Z', '2020-W53'],
    ['2021-01-04T00:00:00Z', '2021-W01'],
    ['2024-02-29T10:00:00Z', '2024-W09'],
    ['2026-01-01T00:00:00Z', '2026-W01'],
  ])('%s is in %s', (iso, week) => {
    expect(isoWeekKey(utc(iso))).toBe(week);
  });

  it('uses UTC, not the local time zone', () => {
    // 23:30 on Sunday in New York is already Monday in UTC.
    expect(isoWeekKey(new Date('2027-01-03T23:30:00-05:00'))).toBe('2027-W01');
  });

  it('matches the ISO week of every day over several years', () => {
    // Independent definition: week 1 is the week with January 4th in it.
    const week1Monday = (year: number) => {
      const jan4 = Date.UTC(year, 0, 4);
      return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
    };
    for (let t = Date.UTC(2019, 11, 1); t < Date.UTC(2029, 1, 1); t += 86_400_000) {
      const date = new Date(t + 13 * 3_600_000);
      let year = date.getUTCFullYear() + 1;
      while (week1Monday(year) > t) year -= 1;
      const week = Math.floor((t - week1Monday(year)) / (7 * 86_400_000)) + 1;
      expect(isoWeekKey(date)).toBe(`${year}-W${String(week).padStart(2, '0')}`);
    }
  });
});

describe('dayKey and monthKey', () => {
  it('bucket by UTC at midnight boundaries', () => {
    expect(dayKey(utc('2026-03-31T23:59:59.999Z'))).toBe('2026-03-31');
    expect(dayKey(utc('2026-04-01T00:00:00.000Z'))).toBe('2026-04-01');
    expect(monthKey(utc('2026-03-31T23:59:59.999Z'))).toBe('2026-03');
    expect(monthKey(utc('2026-04-01T00:00:00.000Z'))).toBe('2026-04');
    expect(dayKey(new Date('2026-04-01T01:00:00+02:00'))).toBe('2026-03-31');
  });

  it('handle the leap day', () => {
    expect(dayKey(utc('2024-02-29T00:00:00Z'))).toBe('2024-02-29');
    expect(dayKey(utc('2024-02-29T23:59:59.999Z'))).toBe('2024-02-29');
    expect(dayKey(utc('2024-03-01T00:00:00Z'))).toBe('2024-03-01');
    expect(monthKey(utc('2024-02-29T12:00:00Z'))).toBe('2024-02');
  });

  it('refuse an invalid date instead of producing "NaN" keys', () => {
    expect(() => dayKey(new Date('nope'))).toThrow(RangeError);
    expect(() => isoWeekKey(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('timeBucketKeys and parseDayKey', () => {
  it('gives all three buckets of an instant', () => {
    expect(timeBucketKeys(utc('2027-01-01T08:00:00Z'))).toEqual({
      day: '2027-01-01',
      week: '2026-W53',
      month: '2027-01',
    });
  });

  it('parses a day key to its UTC midnight and rejects impossible days', () => {
    expect(parseDayKey('2024-02-29').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(() => parseDayKey('2023-02-29')).toThrow(RangeError);
    expect(() => parseDayKey('2023-2-1')).toThrow(RangeError);
    expect(() => parseDayKey('yesterday')).toThrow(RangeError);
  });
});
