import { ConnectionRole, createConnection } from '@directory/connections';
import { ModelName, UserStatus, type SecondFactorType } from '@directory/schemas';
import type { Connection } from 'mongoose';
import { AnalyticsRepository } from './analytics.repository';

// The database comes from the Jest global setup (MONGODB_URI); this file uses its own name.
const uri = process.env['MONGODB_URI'] as string;
const dbName = `t_analytics_repo_${process.env['JEST_WORKER_ID']}_${Date.now().toString(36)}`;

const since = new Date('2027-01-04T00:00:00.000Z');
const inside = new Date('2027-01-10T12:00:00.000Z');
const before = new Date('2027-01-03T23:59:59.999Z');

interface Person {
  status: string;
  lastLoginAt?: Date;
  secondFactors?: SecondFactorType[];
}

/** Counted by hand: 7 active users signed in since `since`; the rest must not count. */
const PEOPLE: Person[] = [
  { status: UserStatus.Active, lastLoginAt: inside, secondFactors: ['recovery_code', 'totp'] },
  { status: UserStatus.Active, lastLoginAt: since, secondFactors: ['recovery_code', 'totp', 'webauthn'] }, // the first instant counts
  { status: UserStatus.Active, lastLoginAt: inside, secondFactors: ['webauthn'] },
  { status: UserStatus.Active, lastLoginAt: inside, secondFactors: ['totp'] },
  { status: UserStatus.Active, lastLoginAt: inside, secondFactors: [] }, // removed every factor
  { status: UserStatus.Active, lastLoginAt: inside }, // never enrolled
  { status: UserStatus.Active, lastLoginAt: new Date('2027-02-01T00:00:00.000Z') }, // after the window start: still active now
  // Not counted
  { status: UserStatus.Active, lastLoginAt: before, secondFactors: ['totp'] }, // dormant
  { status: UserStatus.Active, secondFactors: ['webauthn'] }, // never signed in
  { status: UserStatus.Suspended, lastLoginAt: inside, secondFactors: ['totp', 'recovery_code'] },
  { status: UserStatus.Invited, secondFactors: undefined },
  { status: UserStatus.Deleted, lastLoginAt: inside, secondFactors: ['webauthn'] },
];

describe('AnalyticsRepository.mfaAdoption on a real database', () => {
  let connection: Connection;
  let reports: AnalyticsRepository;

  beforeAll(async () => {
    connection = await createConnection(ConnectionRole.Slow, { uri, dbName, autoIndex: true }, AnalyticsRepository.schemas);
    reports = new AnalyticsRepository(connection);
    const users = connection.model(ModelName.User);
    await users.init();
    for (const [index, person] of PEOPLE.entries()) {
      await users.create({ email: `mfa${index}@example.com`, name: { first: 'Mfa', last: `Person${index}` }, ...person });
    }
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('counts active users signed in since the window start, per factor type, with any second factor and with recovery codes', async () => {
    expect(await reports.mfaAdoption(since)).toEqual({
      activeUsers: 7,
      rows: [
        { factor: 'totp', users: 3, share: 3 / 7 },
        { factor: 'webauthn', users: 2, share: 2 / 7 },
        { factor: 'recovery_code', users: 2, share: 2 / 7 },
        { factor: 'any', users: 4, share: 4 / 7 },
      ],
    });
  });

  it('nobody active: zero counts and null shares', async () => {
    expect(await reports.mfaAdoption(new Date('2030-01-01T00:00:00.000Z'))).toEqual({
      activeUsers: 0,
      rows: ['totp', 'webauthn', 'recovery_code', 'any'].map((factor) => ({ factor, users: 0, share: null })),
    });
  });
});
