import { EventKind, ModelName } from '@directory/schemas';
import { Types } from 'mongoose';
import request from 'supertest';
import { seedUsers } from './support/seed-users';
import { startUsersApi, type RegisteredUser, type UsersTestContext } from './support/users-test-app';

interface SessionItem {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  amr: string[];
  ip?: string;
  userAgent?: string;
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

describe("admins see and end a user's sessions (GET/DELETE /users/:id/sessions)", () => {
  let ctx: UsersTestContext;
  let member: RegisteredUser;
  let admin: RegisteredUser;

  beforeAll(async () => {
    ctx = await startUsersApi();
    member = await ctx.auth.register({ name: { first: 'Mel', last: 'Member' } });
    admin = await ctx.auth.registerAdmin({ name: { first: 'Ada', last: 'Admin' } });
  });

  afterAll(() => ctx?.close());

  const asAdmin = () => ctx.as(admin.accessToken);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${ctx.auth.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const refresh = (refreshToken: string) => post('/auth/refresh', { refreshToken });
  const sessionsOf = (userId: string) =>
    ctx.connection
      .model(ModelName.Session)
      .find({ userId: new Types.ObjectId(userId) })
      .select('+tokenHash +rotatedHashes')
      .lean<Array<{ family: string; tokenHash: string; rotatedHashes: string[]; revokedAt?: Date | null }>>();

  it('lists the live sessions, most recently used first, without any token hash', async () => {
    const target = await ctx.auth.register({ name: { first: 'Sam', last: 'Sessions' } });
    const login = await post('/auth/login', { email: target.email, password: target.password }, { 'user-agent': 'SessionsTest/1.0' });
    expect(login.status).toBe(200);
    const second = (await login.json()) as TokenPair;
    // The registration's session is used again after the login: it moves to the top.
    const refreshed = await refresh(target.refreshToken);
    expect(refreshed.status).toBe(200);

    const res = await asAdmin().get(`/users/${target.id}/sessions`).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.body as { active: number; lastUsedAt: string | null; items: SessionItem[] };
    expect(body.active).toBe(2);
    expect(body.items).toHaveLength(2);
    const stored = await sessionsOf(target.id);
    expect(body.items.map((item) => item.id).sort()).toEqual(stored.map((session) => session.family).sort());
    const [latest, older] = body.items;
    expect(older.userAgent).toBe('SessionsTest/1.0');
    expect(latest.userAgent).not.toBe('SessionsTest/1.0');
    expect(body.lastUsedAt).toBe(latest.lastUsedAt);
    expect(Date.parse(latest.lastUsedAt)).toBeGreaterThan(Date.parse(latest.createdAt));
    expect(Date.parse(latest.lastUsedAt)).toBeGreaterThan(Date.parse(older.lastUsedAt));
    for (const item of body.items) {
      expect(Object.keys(item)).toEqual(expect.arrayContaining(['id', 'createdAt', 'lastUsedAt', 'expiresAt', 'amr']));
      expect(item.amr).toEqual(['pwd']);
      expect(Date.parse(item.expiresAt)).toBeGreaterThan(Date.now());
      for (const key of Object.keys(item)) expect(['id', 'createdAt', 'lastUsedAt', 'expiresAt', 'amr', 'ip', 'userAgent']).toContain(key);
    }
    // Neither a token nor any stored hash appears anywhere in the answer.
    const text = JSON.stringify(body);
    for (const session of stored) {
      expect(text).not.toContain(session.tokenHash);
      for (const hash of session.rotatedHashes) expect(text).not.toContain(hash);
    }
    expect(stored.some((session) => session.rotatedHashes.length > 0)).toBe(true);
    for (const token of [target.refreshToken, second.refreshToken, second.accessToken]) expect(text).not.toContain(token);
  });

  it('a user without live sessions: active 0, lastUsedAt null; a pending invitation is found, a deleted user is not', async () => {
    const [invited, gone] = await seedUsers(
      ctx.users,
      [
        { first: 'Ivy', last: 'Invited', status: 'invited' },
        { first: 'Gone', last: 'User', status: 'deleted' },
      ],
      'sessions',
    );
    expect((await asAdmin().get(`/users/${invited.toHexString()}/sessions`).expect(200)).body).toEqual({
      active: 0,
      lastUsedAt: null,
      items: [],
    });
    await asAdmin().get(`/users/${gone.toHexString()}/sessions`).expect(404);
    await asAdmin().delete(`/users/${gone.toHexString()}/sessions`).expect(404);
  });

  it('DELETE ends every session and revokes the access tokens, with a SessionsEnded event', async () => {
    const target = await ctx.auth.register({ name: { first: 'Tom', last: 'Target' } });
    const second = await ctx.auth.login(target.email, target.password);
    await ctx.as(target.accessToken).get('/users/me').expect(200);

    await asAdmin().delete(`/users/${target.id}/sessions`).expect(204);

    for (const token of [target.refreshToken, second.refreshToken]) expect((await refresh(token)).status).toBe(401);
    for (const token of [target.accessToken, second.accessToken]) await ctx.as(token).get('/users/me').expect(401);
    for (const session of await sessionsOf(target.id)) expect(session.revokedAt).toBeInstanceOf(Date);
    expect((await asAdmin().get(`/users/${target.id}/sessions`).expect(200)).body).toEqual({ active: 0, lastUsedAt: null, items: [] });

    const events = (await asAdmin().get(`/users/${target.id}/events`).expect(200)).body.items as Array<Record<string, unknown>>;
    const ended = events.filter((event) => event['kind'] === EventKind.SessionsEnded);
    expect(ended).toEqual([expect.objectContaining({ kind: EventKind.SessionsEnded, by: admin.id, count: 2 })]);

    // A new sign-in afterwards works: ending sessions is not a suspension.
    const again = await ctx.auth.login(target.email, target.password);
    await ctx.as(again.accessToken).get('/users/me').expect(200);
    expect((await asAdmin().get(`/users/${target.id}/sessions`).expect(200)).body.active).toBe(1);
  });

  it('an admin may end their own sessions: their token stops working', async () => {
    const self = await ctx.auth.registerAdmin({ name: { first: 'Sue', last: 'Self' } });
    await ctx.as(self.accessToken).delete(`/users/${self.id}/sessions`).expect(204);
    await ctx.as(self.accessToken).get('/users/me').expect(401);
    expect((await refresh(self.refreshToken)).status).toBe(401);
  });

  it('members are refused (403), anonymous callers 401; unknown id 404; malformed id 400', async () => {
    for (const call of [
      () => ctx.as(member.accessToken).get(`/users/${member.id}/sessions`),
      () => ctx.as(member.accessToken).delete(`/users/${member.id}/sessions`),
    ])
      expect((await call().expect(403)).body.code).toBe('forbidden');
    // The member's own sessions survived the refused DELETE.
    expect((await refresh(member.refreshToken)).status).toBe(200);
    await request(ctx.app.getHttpServer()).get(`/users/${member.id}/sessions`).expect(401);
    await request(ctx.app.getHttpServer()).delete(`/users/${member.id}/sessions`).expect(401);
    const unknown = new Types.ObjectId().toHexString();
    expect((await asAdmin().get(`/users/${unknown}/sessions`).expect(404)).body.code).toBe('not_found');
    await asAdmin().delete(`/users/${unknown}/sessions`).expect(404);
    expect(await ctx.connection.model(ModelName.Event).countDocuments({ userId: new Types.ObjectId(unknown) })).toBe(0);
    expect((await asAdmin().get('/users/not-an-id/sessions').expect(400)).body.code).toBe('invalid_id');
    await asAdmin().delete('/users/665f1c2e9b1d8a001234567z/sessions').expect(400);
  });

  it('is declared in the OpenAPI document with its response schema', async () => {
    const doc = (await request(ctx.app.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
    const path = doc.paths['/users/{id}/sessions'];
    expect(Object.keys(path.get.responses).sort()).toEqual(['200', '400', '401', '403', '404']);
    expect(Object.keys(path.delete.responses).sort()).toEqual(['204', '400', '401', '403', '404']);
    const schema = doc.components.schemas.UserSessionsDto;
    expect(schema.required).toEqual(expect.arrayContaining(['active', 'lastUsedAt', 'items']));
    expect(Object.keys(doc.components.schemas.UserSessionDto.properties).sort()).toEqual(
      ['amr', 'createdAt', 'expiresAt', 'id', 'ip', 'lastUsedAt', 'userAgent'].sort(),
    );
  });
});
