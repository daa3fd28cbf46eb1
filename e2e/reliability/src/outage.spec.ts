import { MongoClient } from 'mongodb';
import { DATABASE_ENV } from '@directory/testing';
import { ownDatabaseFor, type OutageTarget, type OwnDatabase } from './support/own-database';
import { postJson, SERVICES, startStack, type Account, type Stack } from './support/stack';

/** Generous: the assertion is on the status reached, never on how fast. */
const POLL_DEADLINE_MS = 30_000;

async function readyStatus(url: string): Promise<number> {
  try {
    const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Polls /health/ready until it answers `want`; returns the last status seen. */
async function pollReady(url: string, want: number): Promise<number> {
  const deadline = Date.now() + POLL_DEADLINE_MS;
  let status = await readyStatus(url);
  while (status !== want && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    status = await readyStatus(url);
  }
  return status;
}

async function getJson(url: string, token: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The outages each run tries; one its database cannot have is skipped with the reason printed. */
const OUTAGES: { target: OutageTarget; title: string }[] = [
  { target: 'server', title: 'the server the services connect to (FerretDB, or mongod) is killed' },
  { target: 'postgres', title: 'PostgreSQL under a running FerretDB is killed (SIGKILL of the postmaster)' },
];

/**
 * The database dies under running services and comes back on the same data: readiness turns
 * 503, requests answer 503 instead of hanging, and the services recover by themselves with
 * every acknowledged write intact. Needs a database this suite may kill, so it starts its own;
 * the scenarios share it and the services, which must recover from one outage after another.
 */
describe('database outage under the built services', () => {
  let own: OwnDatabase | undefined;
  let stack: Stack | undefined;
  let skipReason: string | undefined;

  beforeAll(async () => {
    const plan = await ownDatabaseFor(process.env[DATABASE_ENV.backend]);
    if ('skip' in plan) {
      skipReason = plan.skip;
      console.warn(`[skip] database outage suite: ${skipReason}`);
      return;
    }
    own = await plan.start();
    stack = await startStack({ mongodbUri: own.uri, dbName: 'directory_outage' });
  });

  // A scenario that failed mid-outage must not fail the next one as well.
  afterEach(() => own?.ensureUp());

  afterAll(async () => {
    await stack?.stop();
    await own?.destroy();
  });

  it.each(OUTAGES)(
    '$title → 503 fast; restarted on the same data → recovered without restart, no acknowledged write lost',
    async ({ target }) => {
      const skip = stack && own ? own.cannotKill(target) : skipReason;
      if (skip || !stack || !own) {
        // Printed in beforeAll too, so a skipped outage test is never silent.
        console.warn(`[skip] database outage (${target}): ${skip}`);
        return;
      }
      const { services } = stack;
      const acknowledged: Account[] = [];
      for (let i = 0; i < 5; i += 1) acknowledged.push(await stack.register());
      const refused = `during-outage-${target}@example.com`;

      await own.kill(target);

      for (const name of SERVICES) expect([name, await pollReady(services[name].url, 503)]).toEqual([name, 503]);
      // Requests fail fast with an answer, not a hang (the client would wait a minute).
      const login = await stack.login(acknowledged[0].email, acknowledged[0].password);
      expect([login.status, login.body['code']]).toEqual([503, 'database_unavailable']);
      const register = await postJson(`${services['auth-api'].url}/auth/register`, {
        email: refused,
        password: 'correct horse battery outage',
        name: { first: 'Out', last: 'Age' },
      });
      expect(register.status).toBe(503);
      const me = await getJson(`${services['users-api'].url}/users/me`, acknowledged[1].accessToken);
      expect(me.status).toBe(503);

      await own.restart(target);

      for (const name of SERVICES) expect([name, await pollReady(services[name].url, 200)]).toEqual([name, 200]);
      const again = await stack.login(acknowledged[0].email, acknowledged[0].password);
      expect(again.status).toBe(200);
      const meAgain = await getJson(`${services['users-api'].url}/users/me`, String(again.body['accessToken']));
      expect([meAgain.status, meAgain.body['email']]).toEqual([200, acknowledged[0].email]);

      const client = new MongoClient(own.uri, { serverSelectionTimeoutMS: 10_000 });
      try {
        const users = client.db('directory_outage').collection('users');
        const stored = await users.find({ email: { $in: acknowledged.map((a) => a.email) } }, { projection: { email: 1 } }).toArray();
        expect(stored.map((u) => u['email']).sort()).toEqual(acknowledged.map((a) => a.email).sort());
        expect(await users.countDocuments({ email: refused })).toBe(0);
      } finally {
        await client.close();
      }
    },
  );
});
