import { testDatabase } from '@directory/testing';
import { createHash, createHmac } from 'node:crypto';
import { DEVELOPMENT_EMAIL_HASH_SECRET } from '../src/app/auth-settings';
import { AuthEvents, emailHash } from '../src/app/events/auth-events.service';
import { startAuthTestApp, type AuthTestApp } from './support/auth-test-app';

const SECRET = 'an-email-hash-secret-for-this-test-0123456789';
const hmac = (secret: string, email: string) => createHmac('sha256', secret).update(email).digest('hex');
const sha256 = (email: string) => createHash('sha256').update(email).digest('hex');

/**
 * Unknown-email LoginFailed events keep attempts on one address countable through `emailHash`.
 * A plain SHA-256 of the email is reversed by hashing a list of likely emails; an HMAC with a
 * server secret is not, without the secret (ASVS 5.0 16.2.5: sensitive data recorded only in a
 * protected form; 11.4.1: HMAC with an approved hash).
 */
describe('auth-api: email hashes in events are HMACs with a server secret', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;

  beforeAll(async () => {
    t = await startAuthTestApp(dbName, { AUTH_EMAIL_HASH_SECRET: SECRET });
  });

  afterAll(() => t?.close());

  const failedFor = async (hash: string) =>
    t.connection.collection('events').find({ kind: 'LoginFailed', reason: 'unknown_email', emailHash: hash }).toArray();

  it('stores HMAC-SHA256(AUTH_EMAIL_HASH_SECRET, normalized email) as 64 hex digits, not SHA-256(email)', async () => {
    const typed = 'Nobody.Here@Example.COM';
    const normalized = 'nobody.here@example.com';
    const res = await t.http.post('/auth/login').send({ email: typed, password: 'a wrong guess for the hash test' });
    expect([401, 429]).toContain(res.status);

    const events = await t.connection.collection('events').find({ kind: 'LoginFailed', reason: 'unknown_email' }).toArray();
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event['emailHash']).toMatch(/^[0-9a-f]{64}$/);
      expect(event['emailHash']).not.toBe(sha256(normalized));
      expect(event['emailHash']).not.toBe(sha256(typed));
    }
    expect(await failedFor(hmac(SECRET, normalized))).toHaveLength(events.length);
    expect(await failedFor(sha256(normalized))).toHaveLength(0);
    expect(await failedFor(hmac(DEVELOPMENT_EMAIL_HASH_SECRET, normalized))).toHaveLength(0); // the configured secret, not the default
    expect(JSON.stringify(events)).not.toContain(normalized);
  });

  it('the event writer itself, on the real database: HMAC with the configured secret, normalized first', async () => {
    const email = 'Writer.Check@Example.org';
    await t.app.get(AuthEvents, { strict: false }).loginFailedForUnknownEmail(email, t.clock.now());
    const expected = hmac(SECRET, 'writer.check@example.org');
    expect(emailHash(email, SECRET)).toBe(expected);
    expect(await failedFor(expected)).toHaveLength(1);
    expect(await failedFor(sha256('writer.check@example.org'))).toHaveLength(0);
  });
});
