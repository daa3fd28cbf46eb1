import { itRequiresMongo } from '@directory/testing';
import { EventKind, ModelName } from '@directory/schemas';
import { Types } from 'mongoose';
import request from 'supertest';
import { startUsersApi, type RegisteredUser, type UsersTestContext } from './support/users-test-app';

describe('PATCH /users/me: whitelisted fields, If-Match versions, manager cycles', () => {
  let ctx: UsersTestContext;

  beforeAll(async () => {
    ctx = await startUsersApi();
  });

  afterAll(() => ctx?.close());

  const me = (user: RegisteredUser) => ctx.as(user.accessToken).get('/users/me').expect(200);
  const patch = (user: RegisteredUser, body: unknown, version?: number | string) => {
    const req = ctx.as(user.accessToken).patch('/users/me');
    if (version !== undefined) req.set('If-Match', typeof version === 'number' ? `"${version}"` : version);
    return req.send(body as object);
  };
  const stored = (user: RegisteredUser) => ctx.users.findById(user.id).lean().orFail();

  it('GET /users/me shows the version, also as ETag; a matching If-Match updates and bumps it', async () => {
    const user = await ctx.auth.register({ name: { first: 'Olga', last: 'Orig' } });
    const read = await me(user);
    expect(read.headers['etag']).toBe(`"${read.body.version}"`);
    const res = await patch(user, { name: { first: 'Ólafur' }, title: 'Engineer', phone: '+1 555' }, read.body.version).expect(200);
    expect(res.body).toMatchObject({
      name: { first: 'Ólafur', last: 'Orig' },
      title: 'Engineer',
      phone: '+1 555',
      version: read.body.version + 1,
    });
    expect(res.headers['etag']).toBe(`"${read.body.version + 1}"`);
    // Derived keys follow the new name: search finds it without diacritics.
    const found = await ctx.as(user.accessToken).get('/users?q=olafur').expect(200);
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([user.id]);
    // null clears an optional field.
    const cleared = await patch(user, { phone: null }, res.body.version).expect(200);
    expect(cleared.body.phone).toBeNull();
    expect((await stored(user)).phone).toBeUndefined();
  });

  it('writes ProfileUpdated with the field names only, never the values', async () => {
    const user = await ctx.auth.register();
    await patch(user, { displayName: 'Very Private Nick', location: 'Lisbon' }, (await me(user)).body.version).expect(200);
    const events = await ctx.connection
      .model(ModelName.Event)
      .find({ userId: new Types.ObjectId(user.id), kind: EventKind.ProfileUpdated })
      .lean<Array<Record<string, unknown>>>();
    expect(events).toHaveLength(1);
    expect(events[0]['fields']).toEqual(['displayName', 'location']);
    // Their own change: no admin to name.
    expect(events[0]['by']).toBeUndefined();
    expect(JSON.stringify(events[0])).not.toMatch(/Private|Lisbon/);
  });

  it('If-Match missing → 428, malformed → 400, nothing changes', async () => {
    const user = await ctx.auth.register({ title: 'Before' } as never);
    const before = await stored(user);
    expect((await patch(user, { title: 'After' }).expect(428)).body.code).toBe('version_required');
    for (const bad of ['*', '"a"', 'W/"x"', '"1", "2"', '-1', '"99999999999"']) await patch(user, { title: 'After' }, bad).expect(400);
    expect(await stored(user)).toEqual(before);
  });

  it('two clients with the same version, one after the other: the first wins (200), the second gets 409 and changes nothing', async () => {
    const user = await ctx.auth.register({ name: { first: 'Con', last: 'Current' } });
    const { version } = (await me(user)).body;
    await patch(user, { title: 'Winner', department: 'Ops' }, version).expect(200);
    const res = await patch(user, { title: 'Loser', location: 'Nowhere' }, version).expect(409);
    expect(res.body.code).toBe('version_conflict');
    const doc = await stored(user);
    expect(doc).toMatchObject({ title: 'Winner', department: 'Ops', __v: version + 1 });
    expect(doc.location).toBeUndefined();
    // A future version is as stale as a past one.
    await patch(user, { title: 'Future' }, version + 5).expect(409);
  });

  it('a stale version with a name change is a 409 too (the derived-key middleware keeps "no match" a no-match)', async () => {
    const user = await ctx.auth.register({ name: { first: 'Stale', last: 'Name' } });
    const { version } = (await me(user)).body;
    await patch(user, { title: 'First' }, version).expect(200);
    // Only the first name: the middleware reads the stored last name, finds nothing at this version.
    const res = await patch(user, { name: { first: 'Renamed' } }, version).expect(409);
    expect(res.body.code).toBe('version_conflict');
    expect(await stored(user)).toMatchObject({ name: { first: 'Stale', last: 'Name' }, title: 'First' });
  });

  itRequiresMongo(
    "two clients with the same version at the same time: exactly one 200, one 409, only the winner's change stored",
    'FerretDB v1 evaluates the version filter and the update non-atomically',
    async () => {
      for (let round = 0; round < 5; round += 1) {
        const user = await ctx.auth.register();
        const { version } = (await me(user)).body;
        const [a, b] = await Promise.all([
          patch(user, { title: 'A', location: 'A-town' }, version),
          patch(user, { title: 'B', phone: 'B-phone' }, version),
        ]);
        expect([a.status, b.status].sort()).toEqual([200, 409]);
        const doc = await stored(user);
        if (a.status === 200) expect(doc).toMatchObject({ title: 'A', location: 'A-town' });
        else expect(doc).toMatchObject({ title: 'B', phone: 'B-phone' });
        expect(doc.location !== undefined && doc.phone !== undefined).toBe(false);
        expect(doc.__v).toBe(version + 1);
      }
    },
  );

  describe('mass assignment and injection → 400, nothing changed', () => {
    let user: RegisteredUser;
    beforeAll(async () => {
      user = await ctx.auth.register({ name: { first: 'Mass', last: 'Assign' } });
    });

    it.each([
      ['roles', { roles: ['admin'] }],
      ['status', { status: 'active' }],
      ['an operator as email', { email: { $gt: '' } }],
      ['a null email', { email: null }],
      ['not an email', { email: 'new.example.com' }],
      ['an array as email', { email: ['new@example.com'] }],
      ['a too-long email', { email: `${'x'.repeat(250)}@example.com` }],
      ['_id', { _id: new Types.ObjectId().toHexString() }],
      ['__v', { __v: 0 }],
      ['id', { id: 'x' }],
      ['searchKeys', { searchKeys: ['ceo'] }],
      ['sortName', { sortName: 'aaa' }],
      ['tokensValidAfter', { tokensValidAfter: null }],
      ['lastLoginAt', { lastLoginAt: new Date().toISOString() }],
      ['createdAt', { createdAt: '2000-01-01' }],
      ['signupWeek', { signupWeek: '2000-W01' }],
      ['a dotted path', { 'name.first': 'Dotted' }],
      ['an operator', { $set: { roles: ['admin'] } }],
      ['roles beside a valid field', { title: 'ok', roles: ['admin'] }],
      ['an operator object as a value', { department: { $ne: null } }],
      ['an operator in the name', { name: { first: { $gt: '' } } }],
      ['an unknown key in the name', { name: { first: 'A', middle: 'B' } }],
      ['an operator as managerId', { managerId: { $ne: null } }],
      ['a malformed managerId', { managerId: 'boss' }],
      ['a null name', { name: null }],
      ['a null first name', { name: { first: null } }],
      ['an empty first name', { name: { first: '   ' } }],
      ['a too-long title', { title: 'x'.repeat(121) }],
      ['a number as title', { title: 42 }],
      ['an array as title', { title: ['a'] }],
      ['an empty body', {}],
    ])('%s', async (_name, body) => {
      const before = await stored(user);
      await patch(user, body, before.__v).expect(400);
      expect(await stored(user)).toEqual(before);
    });

    it('a new email is never assigned: 200 with pendingEmail, the stored email and verification unchanged', async () => {
      const before = await stored(user);
      const res = await patch(user, { email: 'New.Address@Example.com' }, before.__v).expect(200);
      expect(res.body).toMatchObject({ email: before.email, pendingEmail: 'new.address@example.com', emailVerified: false });
      const after = await stored(user);
      expect(after.email).toBe(before.email);
      expect(after.emailVerifiedAt).toBeUndefined();
      // Only the version moved: the request is one compare-and-set on it (a second one on the same version is a 409).
      expect(after).toEqual({ ...before, __v: before.__v + 1, updatedAt: after.updatedAt });
      await patch(user, { email: 'other@example.com' }, before.__v).expect(409);
    });

    it('a JSON array body', async () => {
      const before = await stored(user);
      await patch(user, [{ title: 'x' }], before.__v).expect(400);
      expect(await stored(user)).toEqual(before);
    });
  });

  describe('managerId', () => {
    it('sets, clears, and refuses self, unknown, deleted and cyclic managers', async () => {
      const [a, b, c] = [await ctx.auth.register(), await ctx.auth.register(), await ctx.auth.register()];
      const version = async (user: RegisteredUser) => (await me(user)).body.version as number;
      // a ← b ← c (b manages a, c manages b)
      await patch(a, { managerId: b.id }, await version(a)).expect(200);
      await patch(b, { managerId: c.id }, await version(b)).expect(200);
      const cycle = await patch(b, { managerId: a.id }, await version(b)).expect(400);
      expect(cycle.body.code).toBe('invalid_manager');
      await patch(c, { managerId: a.id }, await version(c)).expect(400);
      await patch(c, { managerId: c.id }, await version(c)).expect(400);
      await patch(c, { managerId: new Types.ObjectId().toHexString() }, await version(c)).expect(400);
      const gone = await ctx.auth.register();
      await ctx.users.updateOne({ _id: gone.id }, { $set: { status: 'deleted' } });
      await patch(c, { managerId: gone.id }, await version(c)).expect(400);
      expect((await stored(c)).managerId).toBeUndefined();
      // Reports follow managerId.
      const reports = await ctx.as(a.accessToken).get(`/users/${c.id}/reports`).expect(200);
      expect(reports.body.items.map((i: { id: string }) => i.id)).toEqual([b.id]);
      const cleared = await patch(a, { managerId: null }, await version(a)).expect(200);
      expect(cleared.body.managerId).toBeNull();
    });
  });

  it('OpenAPI documents If-Match on PATCH /users/me and the 409/428 answers', async () => {
    const doc = (await request(ctx.app.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
    const operation = doc.paths['/users/me'].patch;
    expect(operation.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header', required: true })]),
    );
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '409', '428']));
    const body = doc.components.schemas.UpdateProfileDto.properties;
    expect(Object.keys(body).sort()).toEqual(['department', 'displayName', 'email', 'location', 'managerId', 'name', 'phone', 'title']);
    expect(operation.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/ProfileUpdateDto');
  });

  it('no token → 401', async () => {
    await request(ctx.app.getHttpServer()).patch('/users/me').set('If-Match', '"0"').send({ title: 'x' }).expect(401);
  });
});
