import { testDatabase } from '@directory/testing';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { createHash } from 'node:crypto';
import { startAuthTestApp, newUser, type AuthTestApp } from './support/auth-test-app';
import { bearer } from './support/jwt';

/**
 * Records every log line the app writes at the most verbose level while it runs the flows,
 * by wrapping the write of the root pino logger's destination (nestjs-pino's `PinoLogger.root`,
 * which every request logger and the Nest logger write through).
 */
describe('auth-api: logs carry no secrets', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;
  const written: string[] = [];

  beforeAll(async () => {
    t = await startAuthTestApp(dbName, { LOG_LEVEL: 'trace', AUTH_LOCKOUT_THRESHOLD: '2' });
    const destination = (PinoLogger.root as unknown as Record<symbol, { write(chunk: string): boolean }>)[pino.symbols.streamSym];
    destination.write = (chunk: string) => {
      written.push(chunk);
      return true;
    };
  });

  afterAll(() => t?.close());

  it('register, login, refresh, failures, lockout, password change and logout log no password, hash or token', async () => {
    const input = newUser({ password: 'a loggable looking passphrase' });
    const registered = await t.http.post('/auth/register').send(input).expect(201);
    const login = await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200);
    const refreshed = await t.http.post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
    t.clock.advance(10_001); // past the refresh grace, so the replay is reuse
    await t.http.post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401); // reuse: logged as a warning
    await t.http
      .post('/auth/password')
      .set(...bearer(registered.body.accessToken))
      .send({ currentPassword: input.password, newPassword: 'another loggable passphrase' })
      .expect(204);
    await t.http.post('/auth/login').send({ email: input.email, password: 'a wrong guess to log' }).expect(401);
    await t.http.post('/auth/login').send({ email: input.email, password: 'a wrong guess to log' }).expect(401);
    await t.http.post('/auth/login').send({ email: input.email, password: 'another loggable passphrase' }).expect(429);
    await t.http.post('/auth/logout').send({ refreshToken: registered.body.refreshToken }).expect(204);

    const log = written.join('');
    expect(log).toContain('"service":"auth-api"'); // the capture works
    expect(log).toContain('refresh token reuse detected');
    expect(log).toContain('"path":"/auth/login"'); // request lines too
    const tokens = [registered.body, login.body, refreshed.body].flatMap((pair) => [pair.refreshToken, pair.accessToken]);
    const hashes = tokens.map((token) => createHash('sha256').update(token).digest('hex'));
    const secrets = (await t.connection.collection('authenticationmethods').find().toArray()).map((m) => m['secret'] as string);
    for (const forbidden of [
      '$argon2',
      input.password,
      'another loggable passphrase',
      'a wrong guess to log',
      ...tokens,
      ...hashes,
      ...secrets,
    ]) {
      expect(log).not.toContain(forbidden);
    }
  });
});
