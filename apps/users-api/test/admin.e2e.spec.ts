import { EventKind, ModelName } from '@directory/schemas';
import { Types } from 'mongoose';
import request from 'supertest';
import { seedUsers } from './support/seed-users';
import { startUsersApi, type RegisteredUser, type UsersTestContext } from './support/users-test-app';

interface Item {
  id: string;
  fullName: string;
}

describe('users by id, reports, and admin user management', () => {
  let ctx: UsersTestContext;
  let member: RegisteredUser;
  let admin: RegisteredUser;

  beforeAll(async () => {
    ctx = await startUsersApi();
    member = await ctx.auth.register({ name: { first: 'Mel', last: 'Member' } });
    admin = await ctx.auth.registerAdmin({ name: { first: 'Ada', last: 'Admin' } });
  });

  afterAll(() => ctx?.close());

  const asMember = () => ctx.as(member.accessToken);
  const asAdmin = () => ctx.as(admin.accessToken);
  const refresh = (refreshToken: string) =>
    fetch(`${ctx.auth.url}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
  const eventsOf = (userId: string, kind: string) =>
    ctx.connection
      .model(ModelName.Event)
      .find({ userId: new Types.ObjectId(userId), kind })
      .lean<Array<Record<string, unknown>>>();

  describe('GET /users/:id', () => {
    it('200 with the version as ETag; malformed id 400; unknown 404; deleted 404', async () => {
      const res = await asMember().get(`/users/${admin.id}`).expect(200);
      expect(res.body).toMatchObject({ id: admin.id, fullName: 'Ada Admin', roles: ['member', 'admin'], status: 'active' });
      expect(res.headers['etag']).toBe(`"${res.body.version}"`);
      for (const key of ['searchKeys', 'sortName', 'tokensValidAfter', '__v', '_id', 'signupWeek'])
        expect(res.body).not.toHaveProperty(key);
      await asMember().get('/users/not-an-id').expect(400);
      await asMember().get('/users/665f1c2e9b1d8a001234567z').expect(400);
      await asMember().get(`/users/${new Types.ObjectId().toHexString()}`).expect(404);
      const [gone] = await seedUsers(ctx.users, [{ first: 'Gone', last: 'User', status: 'deleted' }], 'gone');
      await asMember().get(`/users/${gone.toHexString()}`).expect(404);
      await asAdmin().get(`/users/${gone.toHexString()}`).expect(404);
    });

    it("admins see a person's second-factor types ([] when none); members never see them", async () => {
      const [enrolled, none] = await seedUsers(
        ctx.users,
        [
          { first: 'Tess', last: 'Factor' },
          { first: 'Noah', last: 'Factor' },
        ],
        'mfa',
      );
      // What auth-api's UsersRepository.recordSecondFactors writes: the summary, sorted, never a secret.
      await ctx.users.updateOne({ _id: enrolled }, { $set: { secondFactors: ['recovery_code', 'totp', 'webauthn'] } });
      const adminView = (await asAdmin().get(`/users/${enrolled.toHexString()}`).expect(200)).body;
      expect(adminView.secondFactors).toEqual(['recovery_code', 'totp', 'webauthn']);
      expect((await asAdmin().get(`/users/${none.toHexString()}`).expect(200)).body.secondFactors).toEqual([]);
      const listed = (await asAdmin().get(`/users?ids=${enrolled.toHexString()},${none.toHexString()}`).expect(200)).body.items;
      expect(listed.map((item: { secondFactors: string[] }) => item.secondFactors)).toEqual([['recovery_code', 'totp', 'webauthn'], []]);

      expect((await asMember().get(`/users/${enrolled.toHexString()}`).expect(200)).body).not.toHaveProperty('secondFactors');
      const search = (await asMember().get(`/users?ids=${enrolled.toHexString()}`).expect(200)).body.items;
      expect(search).toHaveLength(1);
      expect(search[0]).not.toHaveProperty('secondFactors');
      expect((await asMember().get('/users/me').expect(200)).body).not.toHaveProperty('secondFactors');
      expect((await asAdmin().get('/users/me').expect(200)).body.secondFactors).toEqual([]);

      const doc = (await request(ctx.app.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
      expect(doc.components.schemas.UserViewDto.properties.secondFactors).toMatchObject({
        type: 'array',
        description: expect.stringMatching(/^Admins only/),
      });
    });
  });

  describe('GET /users/:id/reports', () => {
    it('lists direct reports in name order, page by page; deleted reports hidden; unknown manager 404', async () => {
      const [boss] = await seedUsers(ctx.users, [{ first: 'Big', last: 'Boss' }], 'boss');
      const reports = await seedUsers(
        ctx.users,
        Array.from({ length: 45 }, (_, i) => ({ first: `Report${String(i).padStart(2, '0')}`, last: 'Team', managerId: boss })),
        'report',
      );
      await seedUsers(ctx.users, [{ first: 'Former', last: 'Team', managerId: boss, status: 'deleted' }], 'former');
      await seedUsers(ctx.users, [{ first: 'Other', last: 'Team' }], 'other');
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const cursor: string = after ? `&after=${after}` : '';
        const res = await asMember().get(`/users/${boss.toHexString()}/reports?limit=20${cursor}`).expect(200);
        seen.push(...(res.body.items as Item[]).map((i) => i.id));
        after = res.body.nextCursor;
      } while (after);
      expect(seen).toEqual(reports.map((id) => id.toHexString()));
      await asMember().get(`/users/${new Types.ObjectId().toHexString()}/reports`).expect(404);
      await asMember().get(`/users/${boss.toHexString()}/reports?limit=0`).expect(400);
      await asMember().get(`/users/${boss.toHexString()}/reports?after=garbage`).expect(400);
    });
  });

  describe('authorization', () => {
    it.each([
      ['PATCH /users/:id', () => asMember().patch(`/users/${member.id}`).send({ title: 'x' })],
      ['DELETE /users/:id', () => asMember().delete(`/users/${admin.id}`)],
      ['GET /users/:id/events', () => asMember().get(`/users/${member.id}/events`)],
      ['GET /users/export', () => asMember().get('/users/export')],
    ])('a member on %s → 403', async (_name, call) => {
      expect((await call().expect(403)).body.code).toBe('forbidden');
    });

    it.each([
      ['PATCH', '/users/665f1c2e9b1d8a0012345678'],
      ['DELETE', '/users/665f1c2e9b1d8a0012345678'],
      ['GET', '/users/665f1c2e9b1d8a0012345678/events'],
      ['GET', '/users/export'],
      ['GET', '/users/me'],
      ['GET', '/users/665f1c2e9b1d8a0012345678'],
    ])('no token on %s %s → 401', async (method, path) => {
      const server = request(ctx.app.getHttpServer());
      const call = method === 'PATCH' ? server.patch(path) : method === 'DELETE' ? server.delete(path) : server.get(path);
      await call.expect(401);
    });
  });

  describe('PATCH /users/:id', () => {
    it('promotes and demotes with RoleChanged events; the demoted admin token stops working at once', async () => {
      const target = await ctx.auth.register();
      const promoted = await asAdmin()
        .patch(`/users/${target.id}`)
        .send({ roles: ['member', 'admin'] })
        .expect(200);
      expect(promoted.body.roles).toEqual(['member', 'admin']);
      const asTarget = await ctx.auth.login(target.email, target.password);
      await ctx.as(asTarget.accessToken).get(`/users/${member.id}/events`).expect(200);
      await asAdmin()
        .patch(`/users/${target.id}`)
        .send({ roles: ['member'] })
        .expect(200);
      await ctx.as(asTarget.accessToken).get(`/users/${member.id}/events`).expect(401);
      const events = await eventsOf(target.id, EventKind.RoleChanged);
      expect(events.map((e) => [e['from'], e['to'], String(e['by'])])).toEqual([
        [['member'], ['member', 'admin'], admin.id],
        [['member', 'admin'], ['member'], admin.id],
      ]);
      // Refresh still works after a demotion (new tokens carry the new roles).
      expect((await refresh(asTarget.refreshToken)).status).toBe(200);
    });

    it("suspension: the user's still-valid token → 401 and refresh fails; StatusChanged recorded; reactivation lets them log in", async () => {
      const target = await ctx.auth.register();
      await ctx.as(target.accessToken).get('/users/me').expect(200);
      const res = await asAdmin().patch(`/users/${target.id}`).send({ status: 'suspended', title: 'On leave' }).expect(200);
      expect(res.body).toMatchObject({ status: 'suspended', title: 'On leave' });
      await ctx.as(target.accessToken).get('/users/me').expect(401);
      expect((await refresh(target.refreshToken)).status).toBe(401);
      const [changed] = await eventsOf(target.id, EventKind.StatusChanged);
      expect(changed).toMatchObject({ from: 'active', to: 'suspended' });
      const [profile] = await eventsOf(target.id, EventKind.ProfileUpdated);
      expect(profile?.['fields']).toEqual(['title']);
      // Who changed it: the admin (the audit trail's "by"), as for roles and status.
      expect(String(profile?.['by'])).toBe(admin.id);
      await asAdmin().patch(`/users/${target.id}`).send({ status: 'active' }).expect(200);
      const again = await ctx.auth.login(target.email, target.password);
      await ctx.as(again.accessToken).get('/users/me').expect(200);
    });

    it('a change to what is already stored writes nothing and records nothing', async () => {
      const target = await ctx.auth.register();
      const before = await ctx.users.findById(target.id).lean().orFail();
      const res = await asAdmin()
        .patch(`/users/${target.id}`)
        .send({ roles: ['member'], status: 'active' })
        .expect(200);
      expect(res.body.version).toBe(before.__v);
      expect(await ctx.users.findById(target.id).lean().orFail()).toEqual(before);
      expect(await eventsOf(target.id, EventKind.RoleChanged)).toEqual([]);
      expect(await eventsOf(target.id, EventKind.StatusChanged)).toEqual([]);
    });

    it('an admin cannot remove their own admin role or suspend themselves (409); nothing changes', async () => {
      const before = await ctx.users.findById(admin.id).lean().orFail();
      expect(
        (
          await asAdmin()
            .patch(`/users/${admin.id}`)
            .send({ roles: ['member'] })
            .expect(409)
        ).body.code,
      ).toBe('self_lockout');
      await asAdmin().patch(`/users/${admin.id}`).send({ status: 'suspended' }).expect(409);
      await asAdmin().patch(`/users/${admin.id}`).send({ status: 'deleted' }).expect(409);
      await asAdmin().delete(`/users/${admin.id}`).expect(409);
      expect(await ctx.users.findById(admin.id).lean().orFail()).toEqual(before);
      // Changing their own title is fine.
      await asAdmin().patch(`/users/${admin.id}`).send({ title: 'Head of People' }).expect(200);
    });

    it('If-Match: a stale version → 409 and nothing changes; the current one applies', async () => {
      const target = await ctx.auth.register();
      const { version } = (await asAdmin().get(`/users/${target.id}`).expect(200)).body;
      await ctx.as(target.accessToken).patch('/users/me').set('If-Match', `"${version}"`).send({ title: 'Self-made' }).expect(200);
      await asAdmin().patch(`/users/${target.id}`).set('If-Match', `"${version}"`).send({ department: 'Ops' }).expect(409);
      expect((await ctx.users.findById(target.id).lean().orFail()).department).toBeUndefined();
      await asAdmin()
        .patch(`/users/${target.id}`)
        .set('If-Match', `"${version + 1}"`)
        .send({ department: 'Ops' })
        .expect(200);
    });

    it.each([
      ['email', { email: 'x@example.com' }],
      ['name', { name: { first: 'X', last: 'Y' } }],
      ['searchKeys', { searchKeys: ['x'] }],
      ['tokensValidAfter', { tokensValidAfter: null }],
      ['an unknown role', { roles: ['root'] }],
      ['no roles', { roles: [] }],
      ['repeated roles', { roles: ['member', 'member'] }],
      ['roles as a string', { roles: 'admin' }],
      ['an unknown status', { status: 'banned' }],
      ['an operator as status', { status: { $ne: 'active' } }],
      ['an operator as department', { department: { $gt: '' } }],
      ['an empty body', {}],
    ])('refuses %s with 400, nothing changed', async (_name, body) => {
      const before = await ctx.users.findById(member.id).lean().orFail();
      await asAdmin().patch(`/users/${member.id}`).send(body).expect(400);
      expect(await ctx.users.findById(member.id).lean().orFail()).toEqual(before);
    });

    it('unknown user → 404; malformed id → 400', async () => {
      await asAdmin().patch(`/users/${new Types.ObjectId().toHexString()}`).send({ title: 'x' }).expect(404);
      await asAdmin().patch('/users/nope').send({ title: 'x' }).expect(400);
    });
  });

  describe('DELETE /users/:id', () => {
    it('soft-deletes: hidden from the directory, sessions revoked (refresh fails), token refused; idempotent', async () => {
      const target = await ctx.auth.register({ name: { first: 'Doomed', last: 'Account' } });
      const second = await ctx.auth.login(target.email, target.password);
      await asAdmin().delete(`/users/${target.id}`).expect(204);
      await ctx.as(target.accessToken).get('/users/me').expect(401);
      for (const token of [target.refreshToken, second.refreshToken]) expect((await refresh(token)).status).toBe(401);
      const sessions = await ctx.connection
        .model(ModelName.Session)
        .find({ userId: new Types.ObjectId(target.id) })
        .lean<Array<{ revokedAt?: Date }>>();
      expect(sessions.length).toBeGreaterThanOrEqual(2);
      for (const session of sessions) expect(session.revokedAt).toBeInstanceOf(Date);
      const stored = await ctx.users.findById(target.id).lean().orFail();
      expect(stored.status).toBe('deleted');
      expect(stored.tokensValidAfter).toBeInstanceOf(Date);
      await asMember().get(`/users/${target.id}`).expect(404);
      expect((await asMember().get('/users?q=doomed').expect(200)).body.items).toEqual([]);
      expect((await asAdmin().get('/users?q=doomed&status=deleted').expect(200)).body.items.map((i: Item) => i.id)).toEqual([target.id]);
      await asAdmin().delete(`/users/${target.id}`).expect(204);
      expect(await eventsOf(target.id, EventKind.StatusChanged)).toHaveLength(1);
      await asAdmin().delete(`/users/${new Types.ObjectId().toHexString()}`).expect(404);
    });
  });

  describe('GET /users/:id/events', () => {
    it("pages through a user's audit trail newest first", async () => {
      const target = await ctx.auth.register();
      for (const title of ['t1', 't2', 't3', 't4', 't5']) await asAdmin().patch(`/users/${target.id}`).send({ title }).expect(200);
      const kinds: string[] = [];
      const ats: string[] = [];
      let after: string | null = null;
      do {
        const cursor: string = after ? `&after=${after}` : '';
        const res = await asAdmin().get(`/users/${target.id}/events?limit=2${cursor}`).expect(200);
        for (const event of res.body.items as Array<{ kind: string; at: string }>) {
          kinds.push(event.kind);
          ats.push(event.at);
        }
        after = res.body.nextCursor;
      } while (after);
      // Registration, login... then five profile updates by the admin.
      expect(kinds.filter((k) => k === EventKind.ProfileUpdated)).toHaveLength(5);
      expect(kinds[kinds.length - 1]).toBe(EventKind.UserRegistered);
      expect([...ats].sort().reverse()).toEqual(ats);
      const all = await ctx.connection.model(ModelName.Event).countDocuments({ userId: new Types.ObjectId(target.id) });
      expect(kinds).toHaveLength(all);
      await asAdmin()
        .get(`/users/${target.id}/events?after=${Buffer.from('["n1","a","665f1c2e9b1d8a0012345678"]').toString('base64url')}`)
        .expect(400);
    });
  });
});
