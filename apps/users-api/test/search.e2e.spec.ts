import { EventKind, ModelName } from '@directory/schemas';
import { Types } from 'mongoose';
import request from 'supertest';
import { queryHash, SearchEvents } from '../src/app/directory/search-events';
import { seedUsers } from './support/seed-users';
import { startUsersApi, type RegisteredUser, type UsersTestContext } from './support/users-test-app';

interface Item {
  id: string;
  fullName: string;
  email: string;
  status: string;
  lastLoginAt?: string | null;
}

describe('GET /users: search, filters, limits and cursors', () => {
  let ctx: UsersTestContext;
  let member: RegisteredUser;
  let admin: RegisteredUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await startUsersApi();
    member = await ctx.auth.register({ name: { first: 'Mara', last: 'Member' } });
    admin = await ctx.auth.registerAdmin({ name: { first: 'Ada', last: 'Admin' } });
    const seeded = await seedUsers(
      ctx.users,
      [
        { first: 'José', last: 'Ñúñez', email: 'jose.nunez@corp.example', department: 'R&D' },
        { first: 'JOSEPHINE', last: 'Baker', email: 'jb@corp.example', department: 'Sales' },
        { first: 'Zoë', last: 'Straße', displayName: 'Zo', email: 'zoe@other.example', department: 'R&D' },
        { first: '.*', last: 'Regex', email: 'dotstar@corp.example' },
        { first: '(paren', last: 'Open', email: 'paren@corp.example' },
        { first: 'Anything', last: 'Else', email: 'anything@corp.example' },
        { first: 'Gone', last: 'Deleted', email: 'gone@corp.example', status: 'deleted' },
        { first: 'Paused', last: 'Suspended', email: 'paused@corp.example', status: 'suspended' },
        { first: 'Root', last: 'Boss', email: 'boss@corp.example', roles: ['member', 'admin'] },
      ],
      'search',
    );
    ['jose', 'josephine', 'zoe', 'dotstar', 'paren', 'anything', 'gone', 'paused', 'boss'].forEach(
      (name, i) => (ids[name] = seeded[i].toHexString()),
    );
  });

  afterAll(() => ctx?.close());

  const search = (params: string, token = member.accessToken) => ctx.as(token).get(`/users?${params}`);
  const names = async (params: string, token?: string) => {
    const res = await search(params, token).expect(200);
    return (res.body.items as Item[]).map((item) => item.fullName);
  };

  describe('q: case- and diacritic-insensitive prefix of any name', () => {
    it.each([
      ['jose', ['JOSEPHINE Baker', 'José Ñúñez']],
      ['JOSÉ', ['JOSEPHINE Baker', 'José Ñúñez']],
      ['nun', ['José Ñúñez']],
      ['ÑÚÑ', ['José Ñúñez']],
      ['jose nu', ['José Ñúñez']],
      ['nunez jo', ['José Ñúñez']],
      ['zoe', ['Zoë Straße']],
      ['strasse', ['Zoë Straße']],
      ['zo', ['Zoë Straße']],
      ['  baker ', ['JOSEPHINE Baker']],
      ['ephine', []],
    ])('q=%s', async (q, expected) => {
      expect(await names(`q=${encodeURIComponent(q)}`)).toEqual(expected);
    });

    it('q with "@" is an email prefix', async () => {
      expect(await names(`q=${encodeURIComponent('jose.nunez@')}`)).toEqual(['José Ñúñez']);
      expect(await names(`q=${encodeURIComponent('JB@CORP')}`)).toEqual(['JOSEPHINE Baker']);
      expect(await names(`q=${encodeURIComponent('@corp')}`)).toEqual([]);
    });
  });

  describe('q: regex metacharacters are literal', () => {
    it.each([
      ['.*', ['.* Regex']],
      ['.', ['.* Regex']],
      ['(', ['(paren Open']],
      ['(paren', ['(paren Open']],
      ['[', []],
      ['*', []],
      ['\\', []],
      ['^', []],
      ['$', []],
      ['a|b', []],
      ['+?{}', []],
    ])('q=%s', async (q, expected) => {
      expect(await names(`q=${encodeURIComponent(q)}`)).toEqual(expected);
    });
  });

  it('browsing without q lists everyone but deleted users, in "last first" order', async () => {
    const all = await names('limit=100');
    expect(all).not.toContain('Gone Deleted');
    expect(all).toContain('Paused Suspended');
    expect(all).toEqual(expect.arrayContaining(['Root Boss', 'JOSEPHINE Baker']));
    expect(all.indexOf('Ada Admin')).toBeLessThan(all.indexOf('JOSEPHINE Baker'));
    expect(all.indexOf('JOSEPHINE Baker')).toBeLessThan(all.indexOf('Root Boss'));
  });

  it('filters by department, role and status', async () => {
    expect(await names('department=R%26D')).toEqual(['José Ñúñez', 'Zoë Straße']);
    expect(await names('department=R%26D&q=zo')).toEqual(['Zoë Straße']);
    expect(await names('role=admin')).toEqual(['Ada Admin', 'Root Boss']);
    expect(await names('status=suspended')).toEqual(['Paused Suspended']);
  });

  it('deleted users: hidden from members (403 when asked for), listed for an admin who asks', async () => {
    expect((await search('status=deleted').expect(403)).body.code).toBe('forbidden');
    expect(await names('status=deleted', admin.accessToken)).toEqual(['Gone Deleted']);
    expect(await names('q=gone', admin.accessToken)).toEqual([]);
  });

  it.each(['0', '101', '-1', 'abc', '1.5', '', '1e400'])('limit=%s → 400', async (limit) => {
    const res = await search(`limit=${limit}`).expect(400);
    expect(res.body.statusCode).toBe(400);
  });

  it('limit=1 and limit=100 are accepted; the default page is 20', async () => {
    expect((await search('limit=1').expect(200)).body.items).toHaveLength(1);
    await search('limit=100').expect(200);
    await seedUsers(
      ctx.users,
      Array.from({ length: 25 }, (_, i) => ({ first: `Filler${i}`, last: 'Default' })),
      'filler',
    );
    const res = await search('q=default').expect(200);
    expect(res.body.items).toHaveLength(20);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    const rest = await search(`q=default&after=${res.body.nextCursor}`).expect(200);
    expect(rest.body.items).toHaveLength(5);
    expect(rest.body.nextCursor).toBeNull();
  });

  describe('cursors', () => {
    let cursor: string;
    beforeAll(async () => {
      cursor = (await search('limit=2').expect(200)).body.nextCursor;
    });

    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it.each([
      ['a flipped character', () => flip(cursor, 5)],
      ['a truncated cursor', () => cursor.slice(0, -3)],
      ['extra characters', () => `${cursor}AA`],
      ['not base64url', () => 'not a cursor!'],
      ['valid base64 of garbage', () => Buffer.from('garbage').toString('base64url')],
      ['JSON of the wrong shape', () => encoded({ sortName: 'a', id: new Types.ObjectId().toHexString() })],
      ['a bad id', () => encoded(['n1', 'smith', 'zzzzzzzzzzzzzzzzzzzzzzzz'])],
      ['an operator as the sort key', () => encoded(['n1', { $gt: '' }, new Types.ObjectId().toHexString()])],
      ['a cursor from another list', () => encoded(['t1', Date.now(), new Types.ObjectId().toHexString()])],
      ['an oversized cursor', () => 'A'.repeat(2000)],
    ])('%s → 400', async (_name, make) => {
      const res = await search(`limit=2&after=${encodeURIComponent(make())}`).expect(400);
      expect(res.body.code ?? res.body.message).toBeDefined();
    });

    it('a well-formed cursor continues after its position', async () => {
      const first = (await search('limit=2').expect(200)).body.items as Item[];
      const next = (await search(`limit=2&after=${cursor}`).expect(200)).body.items as Item[];
      expect(next.map((i) => i.id)).not.toContain(first[0].id);
      expect(next.map((i) => i.id)).not.toContain(first[1].id);
    });
  });

  describe('injection and unknown parameters → 400', () => {
    it.each([
      'q[$gt]=',
      'q=a&q=b',
      'department[$ne]=x',
      'status[$ne]=deleted',
      'role=superuser',
      'status=archived',
      'sortName=a',
      'searchKeys=a',
      '$where=1',
      'limit[$gt]=0',
      `q=${'a'.repeat(101)}`,
      'lastActiveBefore=yesterday',
    ])('%s', async (params) => {
      await search(params, admin.accessToken).expect(400);
    });
  });

  describe('?ids=', () => {
    it('returns those users in the order asked, skipping unknown and deleted ones', async () => {
      const unknown = new Types.ObjectId().toHexString();
      const res = await search(`ids=${ids['zoe']},${unknown},${ids['jose']},${ids['gone']},${ids['zoe']}`).expect(200);
      expect((res.body.items as Item[]).map((i) => i.id)).toEqual([ids['zoe'], ids['jose']]);
      expect(res.body.nextCursor).toBeNull();
    });

    it('refuses more than 100 ids, malformed ids and combinations with paging or filters', async () => {
      const many = Array.from({ length: 101 }, () => new Types.ObjectId().toHexString()).join(',');
      await search(`ids=${many}`).expect(400);
      await search(`ids=${Array.from({ length: 100 }, () => new Types.ObjectId().toHexString()).join(',')}`).expect(200);
      await search('ids=abc').expect(400);
      await search(`ids=${ids['jose']},`).expect(400);
      await search(`ids=${ids['jose']}&limit=5`).expect(400);
      await search(`ids=${ids['jose']}&q=jo`).expect(400);
    });
  });

  it('admin-only parameters: lastLoginAt filters and includeTotal are 403 for members', async () => {
    await search('lastActiveBefore=2026-01-01T00:00:00Z').expect(403);
    await search('lastActiveAfter=2026-01-01T00:00:00Z').expect(403);
    await search('includeTotal=true').expect(403);
  });

  it('dormant accounts: lastActiveBefore / lastActiveAfter with includeTotal (admin)', async () => {
    const old = new Date('2025-01-10T00:00:00Z');
    const recent = new Date('2026-06-01T00:00:00Z');
    await seedUsers(
      ctx.users,
      [
        { first: 'Old', last: 'Dormant', lastLoginAt: old },
        { first: 'Recent', last: 'Dormant', lastLoginAt: recent },
        { first: 'Never', last: 'Dormant' },
      ],
      'dormant',
    );
    const dormant = await search('q=dormant&lastActiveBefore=2026-01-01T00:00:00Z&includeTotal=true', admin.accessToken).expect(200);
    expect((dormant.body.items as Item[]).map((i) => i.fullName)).toEqual(['Never Dormant', 'Old Dormant']);
    expect(dormant.body.total).toBe(2);
    expect((dormant.body.items as Item[])[1].lastLoginAt).toBe(old.toISOString());
    const active = await search('q=dormant&lastActiveAfter=2026-01-01T00:00:00Z', admin.accessToken).expect(200);
    expect((active.body.items as Item[]).map((i) => i.fullName)).toEqual(['Recent Dormant']);
    const window = await search(
      'q=dormant&lastActiveAfter=2025-01-01T00:00:00Z&lastActiveBefore=2026-01-01T00:00:00Z',
      admin.accessToken,
    ).expect(200);
    expect((window.body.items as Item[]).map((i) => i.fullName)).toEqual(['Old Dormant']);
    const total = await search('includeTotal=true&limit=1', admin.accessToken).expect(200);
    expect(total.body.total).toBeGreaterThan(10);
    expect(total.body.items).toHaveLength(1);
  });

  it('members never see lastLoginAt', async () => {
    const res = await search('limit=5').expect(200);
    for (const item of res.body.items as Item[]) expect(item).not.toHaveProperty('lastLoginAt');
  });

  it('writes a UserSearched event with a hash of the query, never the query (off the request path, in the next batch)', async () => {
    const searcher = await ctx.auth.register();
    await search('q=Secretive%20Name', searcher.accessToken).expect(200);
    await ctx.app.get(SearchEvents).flush();
    const events = await ctx.connection
      .model(ModelName.Event)
      .find({ userId: new Types.ObjectId(searcher.id), kind: EventKind.UserSearched })
      .lean<Array<Record<string, unknown>>>();
    expect(events).toHaveLength(1);
    expect(events[0]['queryHash']).toBe(queryHash('secretive name'));
    expect(events[0]['resultCount']).toBe(0);
    expect(JSON.stringify(events[0]).toLowerCase()).not.toContain('secretive');
  });

  it('a control character in q is a 400, never a 500 (a NUL cannot be sent in the prefix RegExp; found by the contract test)', async () => {
    const admin = await ctx.auth.registerAdmin();
    for (const path of ['/users?q=a%00b', '/users/export?q=a%00b', '/users?q=x%07']) {
      const res = await ctx.as(admin.accessToken).get(path).expect(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('no token → 401', async () => {
    await request(ctx.app.getHttpServer()).get('/users').expect(401);
    await request(ctx.app.getHttpServer()).get('/users').set('Authorization', 'Bearer nonsense').expect(401);
  });
});
