import {
  hasFilters,
  normalizeDay,
  normalizeQ,
  parseFilters,
  toApiQuery,
  toSearchParams,
  withFilter,
  type PeopleFilters,
} from './people-filters';

const parse = (query: string) => parseFilters(new URLSearchParams(query));

describe('parseFilters', () => {
  it('reads every filter the directory takes', () => {
    expect(
      parse('q=jos&department=Sales&role=admin&status=suspended&verified=false&lastActiveBefore=2026-01-31&lastActiveAfter=2025-06-01'),
    ).toEqual({
      q: 'jos',
      department: 'Sales',
      role: 'admin',
      status: 'suspended',
      verified: 'false',
      lastActiveBefore: '2026-01-31',
      lastActiveAfter: '2025-06-01',
    });
  });

  it('drops empty and blank values', () => {
    expect(parse('q=&department=%20%20&role=&status=&verified=&lastActiveBefore=')).toEqual({});
  });

  it('ignores values a filter does not take, and parameters it does not know', () => {
    expect(parse('role=owner&status=gone&verified=yes&sort=email&limit=5')).toEqual({});
    expect(parse('status=ACTIVE')).toEqual({});
  });

  it('keeps the first of repeated parameters', () => {
    expect(parse('status=invited&status=deleted')).toEqual({ status: 'invited' });
  });

  it('keeps a search with accents and an email search as typed, trimmed', () => {
    expect(parse('q=%20Jos%C3%A9%20')).toEqual({ q: 'José' });
    expect(parse('q=ada%40ex')).toEqual({ q: 'ada@ex' });
  });

  it('validates dates', () => {
    expect(parse('lastActiveBefore=2026-02-30')).toEqual({});
    expect(parse('lastActiveBefore=2026-13-01')).toEqual({});
    expect(parse('lastActiveBefore=26-01-01')).toEqual({});
    expect(parse('lastActiveAfter=0020-01-01')).toEqual({});
    expect(parse('lastActiveAfter=2026-01-01T00:00:00Z')).toEqual({});
    expect(parse('lastActiveAfter=2028-02-29')).toEqual({ lastActiveAfter: '2028-02-29' });
  });
});

describe('normalizers', () => {
  it('q loses control characters and is cut at 100 characters, like users-api allows', () => {
    expect(normalizeQ('jo\u0000se\n')).toBe('jose');
    expect(normalizeQ('x'.repeat(150))).toHaveLength(100);
  });

  it('a day must exist', () => {
    expect(normalizeDay('2027-02-29')).toBe('');
    expect(normalizeDay('2024-02-29')).toBe('2024-02-29');
    expect(normalizeDay('')).toBe('');
  });
});

describe('toSearchParams', () => {
  it('writes only the filters set, in a stable order', () => {
    const filters: PeopleFilters = { status: 'suspended', q: 'jos', verified: 'true' };
    expect(toSearchParams(filters).toString()).toBe('q=jos&status=suspended&verified=true');
    expect(toSearchParams({}).toString()).toBe('');
  });

  it('round-trips through the URL', () => {
    const filters: PeopleFilters = {
      q: 'José Ñú',
      department: 'R&D / Labs',
      role: 'member',
      status: 'invited',
      verified: 'false',
      lastActiveBefore: '2026-11-30',
      lastActiveAfter: '2020-01-01',
    };
    const url = `/console/people?${toSearchParams(filters)}`;
    expect(parseFilters(new URL(url, 'http://localhost').searchParams)).toEqual(filters);
    expect(toSearchParams(parse('status=suspended&q=jos')).toString()).toBe('q=jos&status=suspended');
  });
});

describe('withFilter', () => {
  it('sets, replaces and removes one filter without touching the others', () => {
    const start: PeopleFilters = { q: 'jos', status: 'suspended' };
    expect(withFilter(start, 'role', 'admin')).toEqual({ q: 'jos', status: 'suspended', role: 'admin' });
    expect(withFilter(start, 'status', '')).toEqual({ q: 'jos' });
    expect(withFilter(start, 'status', 'nonsense')).toEqual({ q: 'jos' });
    expect(start).toEqual({ q: 'jos', status: 'suspended' });
  });

  it('hasFilters tells a filtered view from the whole directory', () => {
    expect(hasFilters({})).toBe(false);
    expect(hasFilters(withFilter({}, 'verified', 'false'))).toBe(true);
  });
});

describe('toApiQuery', () => {
  it('passes the filters on, days as their first UTC instant', () => {
    expect(toApiQuery(parse('q=jos&role=admin&lastActiveBefore=2026-01-31&lastActiveAfter=2025-06-01'))).toEqual({
      q: 'jos',
      role: 'admin',
      lastActiveBefore: '2026-01-31T00:00:00Z',
      lastActiveAfter: '2025-06-01T00:00:00Z',
    });
  });

  it('sends nothing for no filters, so the directory default applies (no deleted or invited people)', () => {
    expect(toApiQuery({})).toEqual({});
  });

  it('gives instants users-api accepts (its documented RFC 3339 pattern)', () => {
    const instant = /^(?!00)[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
    expect(toApiQuery({ lastActiveBefore: '1999-12-31' }).lastActiveBefore).toMatch(instant);
  });
});
