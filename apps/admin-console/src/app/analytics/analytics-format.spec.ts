import {
  bucketLabel,
  csvFileName,
  failures,
  FUNNEL_COLUMNS,
  funnelCell,
  groupCohorts,
  peak,
  percent,
  seriesSummary,
  type CohortRow,
} from './analytics-format';

describe('analytics formatting', () => {
  it('shortens the three bucket shapes for an axis', () => {
    expect(bucketLabel('2027-01-03')).toBe('3 Jan');
    expect(bucketLabel('2026-12-31')).toBe('31 Dec');
    expect(bucketLabel('2026-W53')).toBe('W53');
    expect(bucketLabel('2027-02')).toBe('Feb 2027');
    expect(bucketLabel('other')).toBe('other');
  });

  it('writes rates as percentages and null as an en dash', () => {
    expect(percent(0.125)).toBe('12.5%');
    expect(percent(1.5)).toBe('150.0%');
    expect(percent(0)).toBe('0.0%');
    expect(percent(null)).toBe('–');
  });

  it('summarises a series for a screen reader', () => {
    const rows = [
      { bucket: '2027-01-01', count: 2 },
      { bucket: '2027-01-02', count: 5 },
      { bucket: '2027-01-03', count: 5 },
    ];
    expect(seriesSummary('Signups', 'day', rows)).toBe(
      'Signups per day from 2027-01-01 to 2027-01-03: 12 in total, most (5) in 2027-01-02',
    );
    expect(seriesSummary('Signups', 'day', [{ bucket: '2027-01-01', count: 0 }])).toBe(
      'Signups per day from 2027-01-01 to 2027-01-01: none',
    );
    expect(seriesSummary('Signups', 'day', [])).toMatch(/no buckets/);
    expect(peak([])).toBeUndefined();
  });

  it('reads login failures by reason, zero when the API leaves one out', () => {
    expect(failures({ failedByReason: { bad_password: 3, locked: 1 } }, 'bad_password')).toBe(3);
    expect(failures({ failedByReason: { bad_password: 3 } }, 'unknown_email')).toBe(0);
  });

  it('formats funnel cells: counts as numbers, rates as percentages', () => {
    const figures = {
      registered: 4,
      verified: 3,
      verificationRate: 0.75,
      invited: 0,
      accepted: 0,
      acceptanceRate: null,
      mailSent: 7,
      mailFailed: 1,
    };
    expect(FUNNEL_COLUMNS.map((column) => funnelCell(figures, column))).toEqual(['4', '3', '75.0%', '0', '0', '–', '7', '1']);
  });

  it('turns (cohort, offset) rows into a retention triangle', () => {
    const row = (cohortWeek: string, offset: number, active: number): CohortRow => ({
      cohortWeek,
      size: 10,
      offset,
      week: `w${offset}`,
      active,
      share: active / 10,
    });
    const cohorts = groupCohorts([row('2027-W01', 0, 10), row('2027-W01', 1, 4), row('2027-W02', 0, 9)], 1);
    expect(cohorts.map((c) => c.cohortWeek)).toEqual(['2027-W01', '2027-W02']);
    expect(cohorts[0].cells.map((c) => c?.active)).toEqual([10, 4]);
    expect(cohorts[1].cells.map((c) => c?.active)).toEqual([9, undefined]);
  });

  it('names CSV files after the route and the range', () => {
    expect(csvFileName('/analytics/signups', ['2027-01-01', '2027-01-29', 'day'])).toBe('signups-2027-01-01-2027-01-29-day.csv');
    expect(csvFileName('/analytics/breakdown', ['emailDomain', undefined])).toBe('breakdown-emailDomain.csv');
  });
});

describe('seriesSummary in peak mode', () => {
  it('leaves out a total that would count a user once per bucket', () => {
    const rows = [
      { bucket: '2027-W01', count: 3 },
      { bucket: '2027-W02', count: 4 },
    ];
    expect(seriesSummary('Active users', 'ISO week', rows, 'peak')).toBe(
      'Active users per ISO week from 2027-W01 to 2027-W02: most (4) in 2027-W02',
    );
  });
});
