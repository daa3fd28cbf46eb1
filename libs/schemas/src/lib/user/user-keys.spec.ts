import {
  userProfileKeys,
  userSearchKeys,
  userSearchPrefix,
  userSearchPrefixes,
  userSearchFilter,
  SEARCH_PREFIX_MAX,
  userSignupKeys,
  userSortName,
} from './user-keys';

describe('userSearchKeys', () => {
  const keys = userSearchKeys({
    first: 'Mary Ann',
    last: 'Ñúñez',
    displayName: 'M.A.',
    email: 'Mary@Example.com',
  });

  it('holds every normalized name, each word, both name orders and the email', () => {
    expect(keys).toEqual(
      expect.arrayContaining(['mary ann', 'mary', 'ann', 'nunez', 'm.a.', 'mary ann nunez', 'nunez mary ann', 'mary@example.com']),
    );
  });

  it('is sorted and without duplicates or empty keys', () => {
    expect(keys).toEqual([...new Set(keys)].sort());
    expect(
      userSearchKeys({
        first: 'Ann',
        last: 'Ann',
        displayName: '  ',
        email: null,
      }),
    ).toEqual(['ann', 'ann ann']);
  });

  it('is the same for the same inputs, so an unchanged save does not rewrite index entries', () => {
    expect(userSearchKeys({ first: 'ann', last: 'lee' })).toEqual(userSearchKeys({ first: ' ANN ', last: 'Lee' }));
  });
});

describe('userSortName', () => {
  it('is normalized "last first"', () => {
    expect(userSortName({ first: ' José ', last: 'Ñúñez' })).toBe('nunez jose');
    expect(userSortName({ first: 'Solo' })).toBe('solo');
  });
});

describe('userSearchPrefix', () => {
  const matching = (q: string, candidates: string[]) => {
    const prefix = userSearchPrefix(q);
    return prefix ? candidates.filter((key) => prefix.test(key)) : candidates;
  };

  it('matches keys starting with the normalized query', () => {
    expect(matching('  NÚÑ', ['nunez', 'nun', 'anunez'])).toEqual(['nunez', 'nun']);
  });

  it('escapes regex syntax in the query', () => {
    expect(matching('a.b(', ['a.b(c', 'axb(c'])).toEqual(['a.b(c']);
    expect(userSearchPrefix('.*')?.source).toBe('^\\.\\*');
  });

  it('is null for a query that normalizes to nothing', () => {
    expect(userSearchPrefix('   ')).toBeNull();
    expect(userSearchPrefix(undefined)).toBeNull();
  });
});

describe('userProfileKeys and userSignupKeys', () => {
  it('derive the email domain and the signup buckets', () => {
    expect(userProfileKeys({ first: 'a', last: 'b', email: 'X@Corp.Example' }).emailDomain).toBe('corp.example');
    expect(userSignupKeys(new Date('2027-01-01T00:30:00Z'))).toEqual({
      signupDay: '2027-01-01',
      signupWeek: '2026-W53',
      signupMonth: '2027-01',
    });
  });
});

describe('userSearchPrefixes', () => {
  it('holds every prefix of every key, up to SEARCH_PREFIX_MAX characters, once', () => {
    const prefixes = userSearchPrefixes(['jose', 'jose nunez', 'nunez']);
    expect(prefixes).toEqual(expect.arrayContaining(['j', 'jo', 'jos', 'jose', 'jose ', 'jose n', 'jose nunez', 'n', 'nu', 'nunez']));
    expect(new Set(prefixes).size).toBe(prefixes.length);
    const long = userSearchPrefixes(['maximilian-alexander@example.com']);
    expect(Math.max(...long.map((p) => p.length))).toBe(SEARCH_PREFIX_MAX);
  });
});

describe('userSearchFilter', () => {
  it('is one equality on the stored prefixes for a short query, normalized', () => {
    expect(userSearchFilter('  JOSÉ ')).toEqual({ searchPrefixes: 'jose' });
    expect(userSearchFilter('.*')).toEqual({ searchPrefixes: '.*' });
  });

  it('adds an escaped anchored regex on searchKeys past SEARCH_PREFIX_MAX characters', () => {
    const q = 'maximilian-alexander(';
    const filter = userSearchFilter(q);
    expect(filter?.searchPrefixes).toBe(q.slice(0, SEARCH_PREFIX_MAX));
    expect(filter?.searchKeys?.test('maximilian-alexander(x')).toBe(true);
    expect(filter?.searchKeys?.test('maximilian-alexanderx')).toBe(false);
  });

  it('is null for a query that normalizes to nothing', () => {
    expect(userSearchFilter('   ')).toBeNull();
    expect(userSearchFilter(undefined)).toBeNull();
  });
});
