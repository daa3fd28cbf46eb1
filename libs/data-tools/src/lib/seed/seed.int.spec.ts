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
    // Everyone has a password but the invitees who have not accepted yet.
    const pending = data.users.filter((u) => u['status'] === 'invited').length;
    expect(pending).toBeGreaterThan(0);
    expect(data.authenticationmethods).toHaveLength(300 - pending);
    expect(first.authenticationMethods).toMatchObject({ generated: 300 - pending, inserted: 300 - pending });
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
    expect(byStatus('active') + byStatus('suspended') + byStatus('deleted') + byStatus('invited')).toBe(300);
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
    expect([...kinds].sort()).toEqual([
      'EmailVerified',
      'InvitationAccepted',
      'LoginFailed',
      'LoginSucceeded',
      'MailFailed',
      'MailRequested',
      'MailSent',
      'StatusChanged',
      'UserInvited',
      'UserRegistered',
    ]);
    // Every user began once: registered or invited.
    const began = data.events.filter((e) => e['kind'] === 'UserRegistered' || e['kind'] === 'UserInvited');
    expect(began).toHaveLength(300);
    expect(new Set(began.map((e) => String(e['userId']))).size).toBe(300);
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
    // The first 500 events and every event of the account kinds (their own required fields: template, by, attempts, reason).
    const accountKinds = new Set(['UserInvited', 'InvitationAccepted', 'EmailVerified', 'MailRequested', 'MailSent', 'MailFailed']);
    for (const raw of [...data.events.slice(0, 500), ...data.events.filter((e) => accountKinds.has(e['kind']))]) {
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

  describe('how accounts began (issue 13): verification and invitations', () => {
    const eventsOf = (userId: unknown, kind: string) =>
      data.events.filter((e) => String(e['userId']) === String(userId) && e['kind'] === kind).map((e) => e['at'] as Date);
    const methodOf = (userId: unknown) => data.authenticationmethods.find((m) => String(m['userId']) === String(userId));

    it('most registered users verified, each with one EmailVerified at emailVerifiedAt; the rest have neither', () => {
      const registered = data.users.filter((u) => !u['invitedBy']);
      const verified = registered.filter((u) => u['emailVerifiedAt']);
      expect(verified.length / registered.length).toBeGreaterThan(0.75);
      expect(verified.length).toBeLessThan(registered.length);
      for (const user of registered) {
        const at = eventsOf(user['_id'], 'EmailVerified');
        if (user['emailVerifiedAt']) expect(at).toEqual([user['emailVerifiedAt']]);
        else expect(at).toEqual([]);
        expect(eventsOf(user['_id'], 'UserRegistered')).toEqual([user['createdAt']]);
        expect((user['emailVerifiedAt'] as Date | undefined)?.getTime() ?? Infinity).toBeGreaterThan((user['createdAt'] as Date).getTime());
      }
    });

    it('invited users: UserInvited by the first admin; pending ones have invitedAt, no password, no logins; accepted ones joined with a password', () => {
      const adminId = String(data.users.find((u) => u['email'] === first.admin.email)?.['_id']);
      const invited = data.users.filter((u) => u['invitedBy']);
      const pending = invited.filter((u) => u['status'] === 'invited');
      const accepted = invited.filter((u) => u['status'] !== 'invited');
      expect(pending.length).toBeGreaterThan(0);
      expect(accepted.length).toBeGreaterThan(pending.length);
      for (const user of invited) {
        expect(String(user['invitedBy'])).toBe(adminId);
        const invitation = data.events.filter((e) => String(e['userId']) === String(user['_id']) && e['kind'] === 'UserInvited');
        expect(invitation.map((e) => [e['at'], String(e['by'])])).toEqual([[user['createdAt'], adminId]]);
        expect(eventsOf(user['_id'], 'UserRegistered')).toEqual([]);
        expect(eventsOf(user['_id'], 'EmailVerified')).toEqual([]);
      }
      for (const user of pending) {
        expect(user['invitedAt']).toEqual(user['createdAt']);
        expect(user['emailVerifiedAt']).toBeUndefined();
        expect(methodOf(user['_id'])).toBeUndefined();
        expect(eventsOf(user['_id'], 'LoginSucceeded')).toEqual([]);
        expect(eventsOf(user['_id'], 'InvitationAccepted')).toEqual([]);
        expect(data.activities.filter((a) => String(a['userId']) === String(user['_id']))).toEqual([]);
      }
      for (const user of accepted) {
        // As auth-api's acceptance leaves it: invitedAt gone, the email proven at acceptance, the password set then.
        expect(user['invitedAt']).toBeUndefined();
        const acceptedAt = eventsOf(user['_id'], 'InvitationAccepted');
        expect(acceptedAt).toEqual([user['emailVerifiedAt']]);
        expect(methodOf(user['_id'])?.['passwordChangedAt']).toEqual(user['emailVerifiedAt']);
        for (const at of eventsOf(user['_id'], 'LoginSucceeded')) expect(at.getTime()).toBeGreaterThan(acceptedAt[0].getTime());
      }
    });

    it('each account has its first mail asked for, then sent (after 1 or 2 attempts) or given up', () => {
      for (const user of data.users) {
        const template = user['invitedBy'] ? 'invitation' : 'email-verification';
        const mine = data.events.filter((e) => String(e['userId']) === String(user['_id']) && String(e['kind']).startsWith('Mail'));
        expect(mine.map((e) => [e['kind'], e['template']])).toEqual([
          ['MailRequested', template],
          [expect.stringMatching(/^Mail(Sent|Failed)$/), template],
        ]);
        if (mine[1]['kind'] === 'MailFailed') expect(user['emailVerifiedAt']).toBeUndefined();
      }
    });

    it('every admin (the printed one too) is active and verified', () => {
      const admins = data.users.filter((u) => (u['roles'] as string[]).includes('admin'));
      for (const admin of admins) {
        expect(admin).toMatchObject({ status: 'active', emailVerifiedAt: expect.any(Date) });
        expect(admin['invitedBy']).toBeUndefined();
      }
    });

    it('at scale: ~10% invited (~80% of them accepted), ~89% of the registered verified', async () => {
      const large = await seedDatabase(null, { ...base, users: 20_000 });
      const { registered, verified, invited, accepted, mailsFailed } = large.accounts;
      expect(registered + invited).toBe(20_000);
      expect(invited / 20_000).toBeGreaterThan(0.08);
      expect(invited / 20_000).toBeLessThan(0.12);
      expect(accepted / invited).toBeGreaterThan(0.7);
      expect(accepted / invited).toBeLessThan(0.85);
      expect(verified / registered).toBeGreaterThan(0.84);
      expect(verified / registered).toBeLessThan(0.92);
      expect(mailsFailed).toBeGreaterThan(0);
      expect(large.usersByStatus.invited).toBe(invited - accepted);
      expect(large.eventsByKind['UserInvited']).toBe(invited);
      expect(large.eventsByKind['InvitationAccepted']).toBe(accepted);
      expect(large.eventsByKind['EmailVerified']).toBe(verified);
      expect(large.authenticationMethods.generated).toBe(20_000 - (invited - accepted));
    });
  });
});
