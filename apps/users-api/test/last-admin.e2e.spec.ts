import { UserRole } from '@directory/schemas';
import { Types } from 'mongoose';
import { startUsersApi, type RegisteredUser, type UsersTestContext } from './support/users-test-app';

/**
 * Issue 12 item 5: no admin change may leave zero active admins (409 `last_admin`). Its own
 * database, so the test controls exactly who is an admin. Related: ASVS 5.0 8.3.2 (an admin
 * whose rights changed may still hold a token that says otherwise — the guard must not
 * trust it).
 */
describe('users-api: last-admin guard', () => {
  let ctx: UsersTestContext;
  let first: RegisteredUser;
  let second: RegisteredUser;

  beforeAll(async () => {
    ctx = await startUsersApi();
    first = await ctx.auth.registerAdmin({ name: { first: 'First', last: 'Admin' } });
    second = await ctx.auth.registerAdmin({ name: { first: 'Second', last: 'Admin' } });
  });

  afterAll(() => ctx?.close());

  const activeAdmins = () => ctx.users.countDocuments({ roles: UserRole.Admin, status: 'active' });
  const asAdmin = (user: RegisteredUser) => ctx.as(user.accessToken);
  /** Makes both admins again, with fresh tokens (a demotion revokes the demoted one's tokens). */
  async function restoreBoth(): Promise<void> {
    for (const user of [first, second]) {
      await ctx.users.updateOne({ _id: new Types.ObjectId(user.id) }, { $set: { roles: ['member', 'admin'], status: 'active' } });
      Object.assign(user, await ctx.auth.login(user.email, user.password));
    }
  }
  /**
   * `stale` stops being an admin in the database while its token still says admin: what a
   * users-api replica sees within its revocation cache time after another replica demoted it.
   */
  async function demoteBehindItsBack(stale: RegisteredUser): Promise<void> {
    await ctx.users.updateOne({ _id: new Types.ObjectId(stale.id) }, { $set: { roles: ['member'] } });
  }

  it('two admins demoting each other at the same time never leave zero active admins', async () => {
    for (let round = 0; round < 5; round += 1) {
      await restoreBoth();
      const results = await Promise.all([
        asAdmin(first)
          .patch(`/users/${second.id}`)
          .send({ roles: ['member'] }),
        asAdmin(second)
          .patch(`/users/${first.id}`)
          .send({ roles: ['member'] }),
      ]);
      const statuses = results.map((r) => r.status);
      expect(statuses).not.toEqual([200, 200]);
      for (const res of results) if (res.status === 409) expect(res.body.code).toBe('last_admin');
      expect(await activeAdmins()).toBeGreaterThanOrEqual(1);
    }
  });

  it('removing the admin role, suspending or deleting the last active admin → 409 last_admin; nothing changes', async () => {
    await restoreBoth();
    await demoteBehindItsBack(second);
    const before = await ctx.users.findById(first.id).lean().orFail();
    for (const attempt of [
      () =>
        asAdmin(second)
          .patch(`/users/${first.id}`)
          .send({ roles: ['member'] }),
      () => asAdmin(second).patch(`/users/${first.id}`).send({ status: 'suspended' }),
      () => asAdmin(second).patch(`/users/${first.id}`).send({ status: 'deleted' }),
      () => asAdmin(second).delete(`/users/${first.id}`),
    ]) {
      const res = await attempt().expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'last_admin' });
    }
    expect(await ctx.users.findById(first.id).lean().orFail()).toEqual(before);
    await asAdmin(first).get('/users/me').expect(200); // its tokens were not revoked either
    // A change that keeps the admin role and status is still fine.
    await asAdmin(second).patch(`/users/${first.id}`).send({ title: 'Last admin standing' }).expect(200);
  });

  it('with another active admin left, the same changes go through', async () => {
    await restoreBoth();
    await asAdmin(second)
      .patch(`/users/${first.id}`)
      .send({ roles: ['member'] })
      .expect(200);
    expect(await activeAdmins()).toBe(1);
    // Now `second` is the last one: a stale token of `first` cannot take it away.
    const stale = await asAdmin(first).patch(`/users/${second.id}`).send({ status: 'suspended' });
    expect([401, 409]).toContain(stale.status); // 401: its tokens were revoked by the demotion
    expect(await activeAdmins()).toBe(1);
  });
});
