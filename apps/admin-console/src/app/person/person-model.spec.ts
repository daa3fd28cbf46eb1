import {
  actionsFor,
  changesStatus,
  describeAmr,
  describeUserAgent,
  editPatch,
  editValuesOf,
  formatRelative,
  isPersonId,
  lockedRole,
  sessionsSummary,
  versionTag,
  walkManagerChain,
  type Person,
} from './person-model';

const person = (id: string, managerId: string | null = null, extra: Partial<Person> = {}): Person => ({
  id,
  email: `${id}@example.com`,
  name: { first: id, last: 'Test' },
  fullName: `${id} Test`,
  displayName: null,
  title: null,
  department: null,
  location: null,
  phone: null,
  managerId,
  roles: ['member'],
  status: 'active',
  emailVerified: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
  ...extra,
});

describe('walkManagerChain', () => {
  const directory = (people: Person[]) => {
    const byId = new Map(people.map((p) => [p.id, p]));
    const asked: string[] = [];
    return { asked, load: async (id: string) => (asked.push(id), byId.get(id)) };
  };

  it('lists the managers from the top down to the person’s own manager', async () => {
    const { load } = directory([person('boss'), person('lead', 'boss')]);
    const chain = await walkManagerChain(person('me', 'lead'), load);
    expect(chain.managers.map((p) => p.id)).toEqual(['boss', 'lead']);
    expect(chain.stopped).toBeUndefined();
  });

  it('is empty for a person without a manager and asks nothing', async () => {
    const { load, asked } = directory([]);
    expect(await walkManagerChain(person('me'), load)).toEqual({ managers: [] });
    expect(asked).toEqual([]);
  });

  it('stops on a repeat instead of looping', async () => {
    const { load, asked } = directory([person('a', 'b'), person('b', 'a')]);
    const chain = await walkManagerChain(person('me', 'a'), load);
    expect(chain).toMatchObject({ stopped: 'cycle' });
    expect(chain.managers.map((p) => p.id)).toEqual(['b', 'a']);
    expect(asked).toEqual(['a', 'b']);
  });

  it('stops when the chain leads back to the person', async () => {
    const { load } = directory([person('a', 'me')]);
    expect(await walkManagerChain(person('me', 'a'), load)).toMatchObject({ stopped: 'cycle', managers: [{ id: 'a' }] });
  });

  it('walks at most `max` levels', async () => {
    const people = Array.from({ length: 15 }, (_, i) => person(`m${i}`, i < 14 ? `m${i + 1}` : null));
    const { load, asked } = directory(people);
    const chain = await walkManagerChain(person('me', 'm0'), load, 10);
    expect(chain.stopped).toBe('limit');
    expect(asked).toHaveLength(10);
    expect(chain.managers[0]?.id).toBe('m9');
    expect(chain.managers[9]?.id).toBe('m0');
  });

  it('stops at a manager no longer in the directory', async () => {
    const { load } = directory([person('lead', 'gone')]);
    expect(await walkManagerChain(person('me', 'lead'), load)).toMatchObject({ stopped: 'missing', managers: [{ id: 'lead' }] });
  });
});

describe('actionsFor', () => {
  it('offers only what applies to the status', () => {
    expect(actionsFor('active', false)).toEqual(['suspend', 'delete', 'passwordReset', 'unlock']);
    expect(actionsFor('suspended', false)).toEqual(['restore', 'delete', 'unlock']);
    expect(actionsFor('invited', false)).toEqual(['resendInvitation', 'revokeInvitation']);
    expect(actionsFor('deleted', false)).toEqual([]);
  });

  it('never offers suspending or deleting yourself', () => {
    expect(actionsFor('active', true)).toEqual(['passwordReset', 'unlock']);
    expect(actionsFor('suspended', true)).toEqual(['restore', 'unlock']);
  });
});

describe('changesStatus', () => {
  it('is true for the actions that change the status, delete and revoke included', () => {
    expect(['suspend', 'restore', 'delete', 'revokeInvitation'].every((a) => changesStatus(a as never))).toBe(true);
    expect(['passwordReset', 'unlock', 'resendInvitation'].some((a) => changesStatus(a as never))).toBe(false);
  });
});

describe('lockedRole', () => {
  it('locks the admin role on the signed-in admin’s own page only', () => {
    expect(lockedRole({ roles: ['member', 'admin'] }, true)).toBe('admin');
    expect(lockedRole({ roles: ['member', 'admin'] }, false)).toBeUndefined();
    expect(lockedRole({ roles: ['member'] }, true)).toBeUndefined();
  });
});

describe('editPatch', () => {
  const ana = person('ana', null, { title: 'Engineer', department: 'R&D', roles: ['member'] });

  it('is undefined when nothing changed (whitespace and role order ignored)', () => {
    expect(editPatch(ana, editValuesOf(ana))).toBeUndefined();
    expect(editPatch(ana, { title: ' Engineer ', department: 'R&D', roles: ['member'] })).toBeUndefined();
  });

  it('sends only the changed fields, blank text as null, roles as the complete set', () => {
    expect(editPatch(ana, { title: 'Lead', department: 'R&D', roles: ['member'] })).toEqual({ title: 'Lead' });
    expect(editPatch(ana, { title: 'Engineer', department: '  ', roles: ['member'] })).toEqual({ department: null });
    expect(editPatch(ana, { title: 'Engineer', department: 'R&D', roles: ['admin', 'member'] })).toEqual({ roles: ['member', 'admin'] });
  });

  it('treats a missing field and a blank one alike', () => {
    const bare = person('bare');
    expect(editPatch(bare, { title: '', department: '', roles: ['member'] })).toBeUndefined();
    expect(editPatch(bare, { title: 'New', department: '', roles: ['member'] })).toEqual({ title: 'New' });
  });
});

describe('small formatters', () => {
  const now = new Date('2026-12-01T12:00:00.000Z');

  it('quotes versions for If-Match', () => {
    expect(versionTag(7)).toBe('"7"');
  });

  it('accepts only ObjectIds as person ids', () => {
    expect(isPersonId('665f1c2e9b1d8a0012345678')).toBe(true);
    expect(isPersonId('nope')).toBe(false);
    expect(isPersonId('665f1c2e9b1d8a001234567z')).toBe(false);
    expect(isPersonId(undefined)).toBe(false);
  });

  it('says how long ago', () => {
    expect(formatRelative('2026-12-01T11:55:00.000Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2026-11-30T12:00:00.000Z', now)).toBe('yesterday');
    expect(formatRelative('2026-12-01T11:59:30.000Z', now)).toBe('just now');
    expect(formatRelative('2026-12-04T12:00:00.000Z', now)).toBe('in 3 days');
  });

  it('summarizes sessions', () => {
    expect(sessionsSummary({ active: 0, lastUsedAt: null }, now)).toBe('No active sessions');
    expect(sessionsSummary({ active: 1, lastUsedAt: '2026-12-01T10:00:00.000Z' }, now)).toBe('1 active session, last used 2 hours ago');
    expect(sessionsSummary({ active: 3, lastUsedAt: '2026-12-01T11:58:00.000Z' }, now)).toBe('3 active sessions, last used 2 minutes ago');
  });

  it('describes clients and sign-in methods in words', () => {
    expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe('Firefox on Linux');
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0')).toBe(
      'Edge on Windows',
    );
    expect(describeUserAgent('curl/8.5.0')).toBe('curl');
    expect(describeUserAgent(undefined)).toBe('Unknown client');
    expect(describeAmr(['pwd', 'otp', 'mfa'])).toBe('password, authenticator code');
    expect(describeAmr(['pwd', 'hwk', 'mfa'])).toBe('password, passkey');
  });
});
