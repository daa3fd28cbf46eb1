import argon2 from 'argon2';
import { ModelName } from '@directory/schemas';
import { dropTestDatabase, testDatabase } from '@directory/testing';
import { openTargetDatabase, type TargetDatabase } from '../shared/target-database';
import { DEMO_SHAPE, ensureDemoDirectory } from './demo-directory';
import { DEFAULT_PASSWORD } from './seed-run';

describe('ensureDemoDirectory (first start of npm start)', () => {
  const opened: TargetDatabase[] = [];
  const open = async () => {
    const { uri, dbName } = testDatabase();
    const target = await openTargetDatabase({ uri, dbName, appName: 'demo-test' });
    opened.push(target);
    return target;
  };

  afterAll(async () => {
    for (const target of opened) {
      await dropTestDatabase(target.connection, target.dbName);
      await target.close();
    }
  });

  it('seeds an empty database once and names the same admin on every later start', async () => {
    const target = await open();
    const first = await ensureDemoDirectory(target.connection, { until: '2026-01-31' });
    expect(first.seeded?.users.inserted).toBe(DEMO_SHAPE.users);
    expect(first.seeded?.events.inserted).toBeGreaterThan(DEMO_SHAPE.users);
    expect(first.adminEmail).toBe(first.seeded?.admin.email);
    expect(first.password).toBe(DEFAULT_PASSWORD);
    // The admin printed for the dashboard can sign in even where AUTH_REQUIRE_VERIFIED_EMAIL is on.
    const admin = await target.connection.collection('users').findOne({ email: first.adminEmail });
    expect(admin).toMatchObject({ status: 'active', roles: expect.arrayContaining(['admin']), emailVerifiedAt: expect.any(Date) });
    expect(admin?.['invitedBy']).toBeUndefined();
    const method = await target.connection.collection('authenticationmethods').findOne({ userId: admin?.['_id'] });
    expect(await argon2.verify(method?.['secret'] as string, DEFAULT_PASSWORD)).toBe(true);
    // The dashboard's funnels have something to show: registrations mostly verified, invitations mostly accepted.
    const accounts = first.seeded?.accounts ?? { registered: 0, verified: 0, invited: 0, accepted: 0, mailsFailed: 0 };
    expect(accounts.verified).toBeGreaterThan(accounts.registered / 2);
    expect(accounts.invited).toBeGreaterThan(0);
    expect(accounts.accepted).toBeGreaterThan(0);

    const later = await ensureDemoDirectory(target.connection, { until: '2026-02-15' });
    expect(later.seeded).toBeUndefined();
    expect(later.adminEmail).toBe(first.adminEmail);
    expect(await target.connection.collection('users').countDocuments()).toBe(DEMO_SHAPE.users);
  });

  it('never seeds next to existing users', async () => {
    const target = await open();
    await target.connection.model(ModelName.User).create({ email: 'someone@acme.example', name: { first: 'Some', last: 'One' } });
    const result = await ensureDemoDirectory(target.connection, { until: '2026-01-31' });
    expect(result.seeded).toBeUndefined();
    expect(result.adminEmail).toBeUndefined();
    expect(await target.connection.collection('users').countDocuments()).toBe(1);
    expect(await target.connection.collection('events').countDocuments()).toBe(0);
  });
});
