import { dropTestDatabase, startServiceProcess, testDatabase, type ServiceProcess } from '@directory/testing';
import { postOwnConnection } from './support/raw-http';
import { postJson, strongPassword } from './support/stack';

/**
 * SIGTERM while requests are in flight: the service stops accepting, lets every in-flight
 * request finish with a real answer, closes its connections and exits 0. Logins make good
 * in-flight work: each one hashes with argon2id, so several queue up behind each other.
 */
describe('graceful shutdown of the built auth-api', () => {
  const { uri, dbName } = testDatabase();
  let auth: ServiceProcess;

  beforeAll(async () => {
    auth = await startServiceProcess('auth-api', {
      env: { MONGODB_URI: uri, MONGODB_DB: dbName, AUTH_THROTTLE_LIMIT: '100000' },
    });
  });

  afterAll(async () => {
    await auth?.stop('SIGKILL');
    await dropTestDatabase(uri, dbName);
  });

  it('SIGTERM during concurrent logins: every in-flight request gets its answer, then exit code 0', async () => {
    // One account per login: concurrent attempts on ONE account contend for its lockout
    // counter and may be refused with 429 by design, which is not what this test is about.
    const password = strongPassword();
    const emails = Array.from({ length: 8 }, (_, i) => `shutdown-${Date.now()}-${i}@example.com`);
    for (const email of emails) {
      const registered = await postJson(`${auth.url}/auth/register`, { email, password, name: { first: 'Shut', last: 'Down' } });
      expect(registered.status).toBe(201);
    }

    const inFlight = emails.map((email, i) =>
      postOwnConnection(`${auth.url}/auth/login`, { email, password: i % 2 ? password : 'a wrong but long passphrase' }),
    );
    // Once the first answer is back, the other seven are accepted and waiting for their hash.
    await Promise.race(inFlight);
    const signalledAt = Date.now();
    process.kill(auth.pid, 'SIGTERM');

    const settled = await Promise.allSettled(inFlight);
    const failures = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    expect(failures).toEqual([]); // no ECONNRESET / socket hang up
    const answers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 401, 401, 401, 401]);
    // The test means something only if some answers came after the signal.
    expect(answers.filter((a) => a.at >= signalledAt).length).toBeGreaterThan(0);

    expect(await auth.exited).toEqual({ code: 0, signal: null });
  });
});
