import { testDatabase } from '@directory/testing';
import { startAuthTestApp, newUser, type AuthTestApp } from './support/auth-test-app';
import { expectNoSecretsIn } from './support/recording-client';

describe('auth-api: hostile request bodies', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;
  let existing: { email: string; password: string };

  beforeAll(async () => {
    t = await startAuthTestApp(dbName);
    existing = newUser();
    await t.http.post('/auth/register').send(existing).expect(201);
  });

  afterAll(() => t?.close());

  const events = () => t.connection.collection('events').countDocuments();

  const loginBodies: Array<[string, unknown]> = [
    ['operator object as email', { email: { $gt: '' }, password: 'whatever it is' }],
    ['operator objects everywhere', { email: { $ne: null }, password: { $ne: null } }],
    ['$regex email', { email: { $regex: '.*' }, password: 'whatever it is' }],
    ['array email', { email: ['a@example.com', 'b@example.com'], password: 'whatever it is' }],
    ['number email', { email: 12345, password: 'whatever it is' }],
    ['boolean password', { email: 'a@example.com', password: true }],
    ['null password', { email: 'a@example.com', password: null }],
    ['array password', { email: 'a@example.com', password: ['x'] }],
    ['unknown field', { email: 'a@example.com', password: 'whatever it is', isAdmin: true }],
    ['not an object', ['email', 'password']],
  ];

  it.each(loginBodies)('POST /auth/login with %s → 400, nothing looked up', async (_name, body) => {
    const before = await events();
    const res = await t.http
      .post('/auth/login')
      .send(body as object)
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, requestId: expect.any(String) });
    expect(await events()).toBe(before); // no LoginFailed: the request never reached a query
  });

  it('an operator object with the right password still does not log anyone in', async () => {
    await t.http
      .post('/auth/login')
      .send({ email: { $eq: existing.email }, password: existing.password })
      .expect(400);
  });

  it('a "__proto__" key pollutes nothing and is just a failed login', async () => {
    const body = JSON.parse(`{"email":"${existing.email}","password":"not it at all","__proto__":{"isAdmin":true}}`) as object;
    const res = await t.http.post('/auth/login').send(body).expect(401);
    expect(res.body.code).toBe('invalid_credentials');
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  const registerBodies: Array<[string, Record<string, unknown>]> = [
    ['operator email', { email: { $gt: '' } }],
    ['name as a string', { name: 'Ada Lovelace' }],
    ['name as an array', { name: [{ first: 'Ada', last: 'Lovelace' }] }],
    ['operator in name.first', { name: { first: { $ne: null }, last: 'Lovelace' } }],
    ['unknown nested field', { name: { first: 'Ada', last: 'Lovelace', middle: 'B' } }],
    ['number department', { department: 42 }],
    ['operator department', { department: { $gt: '' } }],
    ['managerId (not settable at signup)', { managerId: '665f1c2e9b1d8a0012345678' }],
    ['password as a number', { password: 12345678901 }],
  ];

  it.each(registerBodies)('POST /auth/register with %s → 400', async (_name, override) => {
    const res = await t.http.post('/auth/register').send(newUser(override)).expect(400);
    expect(res.body.statusCode).toBe(400);
  });

  it.each([
    ['operator', { refreshToken: { $ne: null } }],
    ['array', { refreshToken: ['a', 'b'] }],
    ['number', { refreshToken: 42 }],
    ['wrong shape', { refreshToken: 'short' }],
    ['unknown field', { refreshToken: 'A'.repeat(43), family: 'x' }],
  ])('POST /auth/refresh and /auth/logout with a %s token → 400', async (_name, body) => {
    await t.http.post('/auth/refresh').send(body).expect(400);
    await t.http.post('/auth/logout').send(body).expect(400);
  });

  it('a long string is refused by validation (400) before argon2 sees it', async () => {
    const long = 'x'.repeat(90_000);
    await t.http.post('/auth/login').send({ email: existing.email, password: long }).expect(400);
    await t.http
      .post('/auth/register')
      .send(newUser({ password: long }))
      .expect(400);
    await t.http
      .post('/auth/login')
      .send({ email: `${'a'.repeat(90_000)}@example.com`, password: 'whatever it is' })
      .expect(400);
  });

  it('a 1 MB string is a validation 400 that names the field, before argon2 sees it', async () => {
    const res = await t.http
      .post('/auth/login')
      .send({ email: existing.email, password: 'x'.repeat(1024 * 1024) })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, requestId: expect.any(String) });
    expect(JSON.stringify(res.body.message)).toContain('password');
  });

  it('a body over the 2 MB limit is refused before it is parsed (413)', async () => {
    const res = await t.http
      .post('/auth/login')
      .send({ email: existing.email, password: 'x'.repeat(3 * 1024 * 1024) })
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, requestId: expect.any(String) });
  });

  it('no response body contained a password hash, "secret" or a stored refresh-token hash', async () => {
    await expectNoSecretsIn(t.http.bodies, t.connection);
  });
});
