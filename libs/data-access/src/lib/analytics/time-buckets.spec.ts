import { addWeeks, bucketKeys, snapToBuckets, startOfWeekKey, type DayRange } from './time-buckets';

const day = (key: string) => new Date(`${key}T00:00:00Z`);
const range = (from: string, to: string): DayRange => ({ from: day(from), to: day(to) });
const iso = (r: DayRange) => ({ from: r.from.toISOString().slice(0, 10), to: r.to.toISOString().slice(0, 10) });

describe('time buckets (UTC)', () => {
  it('lists days of [from, to), including a leap day', () => {
    expect(bucketKeys('day', range('2028-02-28', '2028-03-01'))).toEqual(['2028-02-28', '2028-02-29']);
  });

  it('snaps weeks to Monday..Monday and names them by ISO week-year', () => {
    const snapped = snapToBuckets('week', range('2026-12-31', '2027-01-05'));
    expect(iso(snapped)).toEqual({ from: '2026-12-28', to: '2027-01-11' });
    expect(bucketKeys('week', snapped)).toEqual(['2026-W53', '2027-W01']);
  });

  it('keeps a range that already is whole weeks', () => {
    expect(iso(snapToBuckets('week', range('2027-01-04', '2027-01-18')))).toEqual({ from: '2027-01-04', to: '2027-01-18' });
  });

  it('snaps months to whole months across a year end', () => {
    const snapped = snapToBuckets('month', range('2027-12-15', '2028-02-02'));
    expect(iso(snapped)).toEqual({ from: '2027-12-01', to: '2028-03-01' });
    expect(bucketKeys('month', snapped)).toEqual(['2027-12', '2028-01', '2028-02']);
  });

  it('finds the Monday of a week key and steps over 53-week years', () => {
    expect(startOfWeekKey('2026-W53').toISOString()).toBe('2026-12-28T00:00:00.000Z');
    expect(startOfWeekKey('2025-W01').toISOString()).toBe('2024-12-30T00:00:00.000Z');
    expect(addWeeks('2026-W52', 1)).toBe('2026-W53');
    expect(addWeeks('2026-W53', 1)).toBe('2027-W01');
    expect(addWeeks('2027-W01', -2)).toBe('2026-W52');
    expect(() => startOfWeekKey('2026-53')).toThrow(RangeError);
  });
});
