import argon2 from 'argon2';
import type { Connection, Model, mongo } from 'mongoose';
import { CredentialModelName } from '@directory/credentials';
import { ModelName, USER_DERIVED_PATHS, type UserFields } from '@directory/schemas';
import { dropTestDatabase, testDatabase } from '@directory/testing';
import { openTargetDatabase, type TargetDatabase } from '../shared/target-database';
import { AUTH_API_ARGON2, DEFAULT_PASSWORD, seedDatabase, SeedConflictError, type SeedOptions, type SeedResult } from './seed-run';

const COLLECTIONS = ['users', 'authenticationmethods', 'events', 'activities'] as const;
const base: SeedOptions = { users: 300, days: 30, seed: 'alpha', until: '2026-01-31', password: DEFAULT_PASSWORD };

type Dump = Record<(typeof COLLECTIONS)[number], mongo.Document[]>;

async function dump(connection: Connection): Promise<Dump> {
  const entries = await Promise.all(
    COLLECTIONS.map(async (name) => [name, await connection.collection(name).find({}).sort({ _id: 1 }).toArray()] as const),
  );
  return Object.fromEntries(entries) as unknown as Dump;
}

describe('seed (real database)', () => {
  const opened: TargetDatabase[] = [];
  const open = async () => {
    const { uri, dbName } = testDatabase();
    const target = await openTargetDatabase({ uri, dbName, appName: 'seed-test' });
    opened.push(target);
    return target;
  };
  let alpha: TargetDatabase;
  let first: SeedResult;
  let data: Dump;

  beforeAll(async () => {
    alpha = await open();
    first = await seedDatabase(alpha.connection, base);
    data = await dump(alpha.connection);
  });

  afterAll(async () => {
    for (const target of opened) {
      await dropTestDatabase(target.connection, target.dbName);
      await target.close();
    }
  });

  it('writes what it reports', () => {
    expect(first.users).toMatchObject({ generated: 300, inserted: 300, existing: 0 });
    expect(data.users).toHaveLength(300);
    expect(data.authenticationmethods).toHaveLength(300);
    expect(data.events).toHaveLength(first.events.inserted);
    expect(data.activities).toHaveLength(first.activities.inserted);
    expect(first.events.inserted).toBeGreaterThan(300 * 3);
  });

  it('is idempotent: the same seed again adds nothing and changes nothing', async () => {
    const again = await seedDatabase(alpha.connection, base);
    for (const tally of [again.users, again.authenticationMethods, again.events, again.activities]) {
      expect(tally.inserted).toBe(0);
      expect(tally.existing).toBe(tally.generated);
    }
    expect(await dump(alpha.connection)).toEqual(data);
  });

  it('is deterministic: the same seed in another database gives identical documents', async () => {
    const other = await open();
    await seedDatabase(other.connection, base);
    expect(await dump(other.connection)).toEqual(data);
  });

  it('gives different data for a different seed', async () => {
    const other = await open();
    await seedDatabase(other.connection, { ...base, seed: 'beta' });
    const beta = await dump(other.connection);
    const alphaIds = new Set(data.users.map((u) => String(u['_id'])));
    expect(beta.users.filter((u) => alphaIds.has(String(u['_id'])))).toEqual([]);
    const alphaEmails = new Set(data.users.map((u) => u['email']));
    expect(beta.users.filter((u) => alphaEmails.has(u['email'])).length).toBeLessThan(150);
  });

  it('refuses to mix in a conflicting seed (same emails, other ids) instead of orphaning events', async () => {
    await expect(seedDatabase(alpha.connection, { ...base, until: '2026-02-01' })).rejects.toThrow(SeedConflictError);
  });

  it('builds a manager tree with exactly one root and no cycles', () => {
    const managerOf = new Map(data.users.map((u) => [String(u['_id']), u['managerId'] ? String(u['managerId']) : null]));
    expect([...managerOf.values()].filter((m) => m === null)).toHaveLength(1);
    for (const start of managerOf.keys()) {
      const seen = new Set<string>();
      for (let at: string | null = start; at !== null; at = managerOf.get(at) ?? null) {
        expect(seen.has(at)).toBe(false);
        expect(managerOf.has(at)).toBe(true);
        seen.add(at);
      }
    }
  });

  it('has a few admins, active, and the printed admin can log in with the printed password', async () => {
    const admins = data.users.filter((u) => (u['roles'] as string[]).includes('admin'));
    expect(admins.length).toBeGreaterThanOrEqual(1);
    expect(admins.length).toBeLessThanOrEqual(15);
    expect(admins.every((a) => a['status'] === 'active')).toBe(true);
    const admin = data.users.find((u) => u['email'] === first.admin.email);
    expect(admin?.['roles']).toContain('admin');
    const method = data.authenticationmethods.find((m) => String(m['userId']) === String(admin?.['_id']));
    expect(await argon2.verify(method?.['secret'] as string, first.admin.password)).toBe(true);
    // auth-api's parameters: a first login verifies without a rehash-and-write.
    expect(method?.['secret']).toMatch(/^\$argon2id\$/);
    expect(argon2.needsRehash(method?.['secret'] as string, AUTH_API_ARGON2)).toBe(false);
  });

  it('suspends ~3% and deletes ~2% of users', async () => {
    const large = await seedDatabase(null, { ...base, users: 20_000 });
    expect(large.usersByStatus.suspended / 20_000).toBeGreaterThan(0.02);
    expect(large.usersByStatus.suspended / 20_000).toBeLessThan(0.04);
    expect(large.usersByStatus.deleted / 20_000).toBeGreaterThan(0.012);
    expect(large.usersByStatus.deleted / 20_000).toBeLessThan(0.028);
    const byStatus = (status: string) => data.users.filter((u) => u['status'] === status).length;
    expect(byStatus('active') + byStatus('suspended') + byStatus('deleted')).toBe(300);
    expect(byStatus('suspended') + byStatus('deleted')).toBeGreaterThan(0);
  });

  it('spreads signups and events over the period, every event with its buckets and cohort', () => {
    const signupWeekOf = new Map(data.users.map((u) => [String(u['_id']), u['signupWeek']]));
    const days = new Set<string>();
    for (const event of data.events) {
      expect(event).toEqual(
        expect.objectContaining({ at: expect.any(Date), day: expect.any(String), week: expect.any(String), month: expect.any(String) }),
      );
      expect(event['day'] >= '2026-01-02' && event['day'] <= '2026-01-31').toBe(true);
      days.add(event['day']);
      if (event['reason'] === 'unknown_email') {
        expect(event['userId']).toBeUndefined();
        expect(event['emailHash']).toMatch(/^[0-9a-f]{64}$/);
      } else {
        expect(event['cohortWeek']).toBe(signupWeekOf.get(String(event['userId'])));
      }
    }
    expect(days.size).toBeGreaterThan(25);
    const kinds = new Set(data.events.map((e) => e['kind']));
    expect([...kinds].sort()).toEqual(['LoginFailed', 'LoginSucceeded', 'StatusChanged', 'UserRegistered']);
    expect(data.events.filter((e) => e['kind'] === 'UserRegistered')).toHaveLength(300);
    const reasons = new Set(data.events.filter((e) => e['kind'] === 'LoginFailed').map((e) => e['reason']));
    expect(reasons).toContain('bad_password');
  });

  it('keeps one Activity per (userId, day), matching the logins of that day', async () => {
    const duplicates = await alpha.connection
      .collection('activities')
      .aggregate([{ $group: { _id: { userId: '$userId', day: '$day' }, n: { $sum: 1 } } }, { $match: { n: { $gt: 1 } } }])
      .toArray();
    expect(duplicates).toEqual([]);
    const loginDays = new Set(data.events.filter((e) => e['kind'] === 'LoginSucceeded').map((e) => `${e['userId']}|${e['day']}`));
    expect(new Set(data.activities.map((a) => `${a['userId']}|${a['day']}`))).toEqual(loginDays);
  });

  it('sets lastLoginAt to the last successful login', () => {
    const last = new Map<string, number>();
    for (const e of data.events) {
      if (e['kind'] !== 'LoginSucceeded') continue;
      const key = String(e['userId']);
      last.set(key, Math.max(last.get(key) ?? 0, (e['at'] as Date).getTime()));
    }
    for (const user of data.users) expect((user['lastLoginAt'] as Date | undefined)?.getTime()).toBe(last.get(String(user['_id'])));
  });

  it('has no AuthenticationMethod without its User', () => {
    const userIds = new Set(data.users.map((u) => String(u['_id'])));
    expect(data.authenticationmethods.every((m) => userIds.has(String(m['userId'])))).toBe(true);
  });

  it('stores exactly what the schema middleware would have written', async () => {
    const User = alpha.connection.model(ModelName.User) as Model<UserFields>;
    for (const raw of data.users) {
      // The stored document passes the schema as it is ...
      await expect(User.hydrate(raw).validate()).resolves.toBeUndefined();
      // ... and its derived keys are what middleware computes from its inputs.
      const fresh = new User({
        email: raw['email'],
        name: raw['name'],
        displayName: raw['displayName'],
        createdAt: raw['createdAt'],
      });
      await fresh.validate();
      for (const path of USER_DERIVED_PATHS) expect(raw[path]).toEqual(fresh.get(path));
    }
    for (const raw of data.events.slice(0, 500)) {
      const Kind = alpha.connection.model(raw['kind'] as string);
      const fresh = new Kind({ ...raw, day: undefined, week: undefined, month: undefined });
      await fresh.validate();
      expect([raw['day'], raw['week'], raw['month']]).toEqual([fresh.get('day'), fresh.get('week'), fresh.get('month')]);
    }
    const Activity = alpha.connection.model(ModelName.Activity);
    for (const raw of data.activities.slice(0, 500)) {
      const fresh = new Activity({ ...raw, week: undefined, month: undefined });
      await fresh.validate();
      expect([raw['week'], raw['month']]).toEqual([fresh.get('week'), fresh.get('month')]);
    }
    const Method = alpha.connection.model(CredentialModelName.AuthenticationMethod);
    for (const raw of data.authenticationmethods.slice(0, 50)) await expect(Method.hydrate(raw).validate()).resolves.toBeUndefined();
  });
});
