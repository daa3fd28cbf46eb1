import { addDays, defaultView, draftErrors, isCalendarDay, lastDay, parseView, viewToSearch } from './analytics-view';

const now = new Date('2027-01-15T22:30:00Z');

describe('analytics view', () => {
  it('defaults to the dashboard range: the 28 days up to today (UTC), daily, 8 weeks, by department', () => {
    expect(defaultView(now)).toEqual({ from: '2026-12-19', to: '2027-01-16', interval: 'day', weeks: 8, by: 'department' });
    expect(parseView(new URLSearchParams(), now)).toEqual(defaultView(now));
  });

  it('reads every field from the URL and writes them back unchanged', () => {
    const search = new URLSearchParams({ from: '2026-11-01', to: '2027-01-01', interval: 'month', weeks: '12', by: 'emailDomain' });
    const view = parseView(search, now);
    expect(view).toEqual({ from: '2026-11-01', to: '2027-01-01', interval: 'month', weeks: 12, by: 'emailDomain' });
    expect(viewToSearch(view).toString()).toBe(search.toString());
  });

  it('replaces malformed values by the defaults instead of failing', () => {
    const view = parseView(new URLSearchParams({ interval: 'year', weeks: '53', by: 'password', from: '2027-02-30' }), now);
    expect(view).toEqual(defaultView(now));
    expect(parseView(new URLSearchParams({ weeks: '-1' }), now).weeks).toBe(8);
    expect(parseView(new URLSearchParams({ weeks: '0' }), now).weeks).toBe(0);
  });

  it('keeps the default width when only one end is given, and drops a backwards range', () => {
    expect(parseView(new URLSearchParams({ from: '2026-06-01' }), now)).toMatchObject({ from: '2026-06-01', to: '2026-06-29' });
    expect(parseView(new URLSearchParams({ to: '2026-06-29' }), now)).toMatchObject({ from: '2026-06-01', to: '2026-06-29' });
    expect(parseView(new URLSearchParams({ from: '2026-06-29', to: '2026-06-29' }), now)).toMatchObject(defaultView(now));
  });

  it('knows real calendar days and crosses month and year ends', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2025-02-29')).toBe(false);
    expect(isCalendarDay('2025-1-01')).toBe(false);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(lastDay({ to: '2027-01-01' })).toBe('2026-12-31');
  });

  it('explains each field that admin-analytics would refuse', () => {
    expect(draftErrors({ from: '2027-01-01', to: '2027-01-02', weeks: '8' })).toEqual({});
    expect(draftErrors({ from: '', to: '2027-01-02', weeks: '8' })).toEqual({ from: 'Enter a start date.' });
    expect(draftErrors({ from: '2027-01-02', to: '2027-01-02', weeks: '8' }).to).toMatch(/after the start date/);
    expect(draftErrors({ from: '2027-01-01', to: '2027-01-02', weeks: '60' }).weeks).toMatch(/0 to 52/);
    expect(draftErrors({ from: '2027-01-01', to: '2027-01-02', weeks: '1.5' }).weeks).toBeDefined();
  });
});
