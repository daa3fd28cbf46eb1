import fc from 'fast-check';
import { MongoClient, type Db } from 'mongodb';
import { dropTestDatabase, testDatabase } from '@directory/testing';
import { loadOperations } from './support/openapi';
import {
  corpusFor,
  deeplyNested,
  describeRequest,
  POLLUTION_MARKER,
  requestArbitrary,
  send,
  type FuzzContext,
  type FuzzRequest,
  type Tokens,
} from './support/requests';
import { databaseSnapshot } from './support/snapshot';
import { SERVICES, startStack, type Account, type ServiceName, type Stack } from './support/stack';

/** Random requests per service on top of the fixed corpus (every operation × every hostile kind). */
const RUNS = Number(process.env['RELIABILITY_FUZZ_RUNS'] ?? 200);
/** Printed with the results; set RELIABILITY_FUZZ_SEED to replay a run. */
const SEED = Number(process.env['RELIABILITY_FUZZ_SEED'] ?? Date.now() % 2 ** 31);

/**
 * Property-based HTTP fuzzing of the three built services, driven by each one's OpenAPI
 * document, so an endpoint added later is fuzzed without being listed here. Invariants:
 * never a 5xx (nor a hang), and a rejected (4xx) request changes no document.
 */
describe('fuzzing every documented endpoint of the built services', () => {
  const { uri, dbName } = testDatabase();
  let stack: Stack;
  let client: MongoClient;
  let db: Db;
  let member: Account;
  let admin: Account;
  const tokens: Tokens = { member: '', admin: '' };
  const ctx: FuzzContext = { knownIds: [] };
  const tally: Record<string, { requests: number; statuses: Record<string, number> }> = {};

  beforeAll(async () => {
    stack = await startStack({ mongodbUri: uri, dbName });
    client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
    db = client.db(dbName);
    [member, admin] = [await stack.register(), await stack.registerAdmin()];
    const victim = await stack.register();
    ctx.knownIds.push(victim.id);
    tokens.member = member.accessToken;
    tokens.admin = admin.accessToken;
  });

  afterAll(async () => {
    const lines = Object.entries(tally).map(
      ([service, t]) => `  ${service.padEnd(16)} ${String(t.requests).padStart(5)} requests  ${JSON.stringify(t.statuses)}`,
    );
    console.log(`fuzzing (seed ${SEED}, ${RUNS} random runs per service + corpus):\n${lines.join('\n')}`);
    await stack?.stop();
    if (client) {
      await dropTestDatabase(client, dbName);
      await client.close();
    }
  });

  /** A password change or logout-all revokes the caller's access tokens; get fresh ones so later requests stay authenticated. */
  async function refreshTokens(): Promise<void> {
    for (const [account, key] of [
      [member, 'member'],
      [admin, 'admin'],
    ] as const) {
      const res = await stack.login(account.email, account.password);
      if (res.status === 200) tokens[key] = String(res.body['accessToken']);
    }
  }

  it.each(SERVICES)('%s: never a 5xx or a hang, and a rejected request changes no document', async (service: ServiceName) => {
    const baseUrl = stack.services[service].url;
    const operations = await loadOperations(baseUrl);
    expect(operations.length).toBeGreaterThan(0);
    const counts: (typeof tally)[string] = (tally[service] = { requests: 0, statuses: {} });
    const failures: string[] = [];
    let before = await databaseSnapshot(db);

    const check = async (req: FuzzRequest): Promise<void> => {
      let status: number;
      try {
        status = await send(baseUrl, req, tokens);
      } catch (error) {
        failures.push(`no answer (${(error as Error).message}): ${describeRequest(req)}`);
        return;
      }
      counts.requests += 1;
      const bucket = `${Math.floor(status / 100)}xx`;
      counts.statuses[bucket] = (counts.statuses[bucket] ?? 0) + 1;
      if (status >= 500) failures.push(`${status}: ${describeRequest(req)}`);
      const after = await databaseSnapshot(db);
      if (status >= 400 && status < 500 && after !== before) {
        failures.push(`${status} but the database changed (${before} → ${after}): ${describeRequest(req)}`);
      }
      before = after;
      if (status < 300 && req.method === 'POST' && req.url.startsWith('/auth/') && req.auth !== 'none') {
        await refreshTokens();
        before = await databaseSnapshot(db); // our own logins are not the next request's doing
      }
    };

    for (const op of operations) for (const req of corpusFor(op, ctx)) await check(req);
    await fc.assert(
      fc.asyncProperty(requestArbitrary(operations, ctx), async (req) => {
        await check(req);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );

    expect(failures).toEqual([]);
    expect(counts.requests).toBeGreaterThanOrEqual(RUNS);
  });

  it('no stored document carries a prototype-pollution payload, and nobody gained a role', async () => {
    for (const name of ['users', 'authenticationmethods', 'sessions', 'activities']) {
      const docs = await db.collection(name).find().toArray();
      expect(JSON.stringify(docs)).not.toContain(POLLUTION_MARKER);
    }
    // Active admins: the fuzzer's admin token may legitimately invite an admin (status `invited`, no password).
    const roles = (
      await db
        .collection('users')
        .find({}, { projection: { roles: 1, status: 1 } })
        .toArray()
    ).filter((u) => (u['roles'] as string[]).includes('admin') && u['status'] === 'active');
    expect(roles.map((u) => String(u._id))).toEqual([admin.id]);
  });

  // class-transformer (ValidationPipe transform) recurses once per nesting level and used to
  // overflow the stack at a few thousand levels → 500; configureApp now refuses deep JSON first.
  it.each([
    ['auth-api', 'POST', '/auth/login', 'none'],
    ['users-api', 'PATCH', '/users/me', 'member'],
  ] as const)('%s %s %s: JSON nested 10,000 levels deep → 4xx, not 500', async (service, method, url, auth) => {
    const body = { contentType: 'application/json', text: deeplyNested(10_000) };
    const status = await send(stack.services[service].url, { method, url, auth, kind: 'deep-json', body }, tokens);
    expect(status).toBeLessThan(500);
  });
});
