import { ConnectionRole, modelToken } from '@directory/connections';
import { ModelName, type ActivityFields } from '@directory/schemas';
import { testDatabase } from '@directory/testing';
import type { Model } from 'mongoose';
import { startAuthTestApp, newUser, type AuthTestApp } from './support/auth-test-app';

/**
 * The Activity rollup admin-analytics counts active users and cohort retention with (issue 5):
 * each successful login upserts one document per (userId, day), keyed by the unique index,
 * carrying the day's ISO week and the user's signup (cohort) week.
 */
describe('auth-api: Activity rollup and lastLoginAt on login', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;
  let input: ReturnType<typeof newUser>;
  let userId: unknown;
  let signupWeek: string;

  beforeAll(async () => {
    t = await startAuthTestApp(dbName);
    input = newUser();
    await t.http.post('/auth/register').send(input).expect(201);
    const user = await users().findOne({ email: input.email });
    userId = user?._id;
    signupWeek = user?.['signupWeek'] as string;
  });

  afterAll(() => t?.close());

  const users = () => t.connection.collection('users');
  const activities = () =>
    t.connection
      .collection('activities')
      .find({ userId }, { projection: { _id: 0, createdAt: 0, updatedAt: 0, __v: 0 } })
      .sort({ day: 1 })
      .toArray();
  const login = () => t.http.post('/auth/login').send({ email: input.email, password: input.password });
  /** Moves the fake clock to an instant given as ISO text. */
  const travelTo = (iso: string) => t.clock.advance(new Date(iso).getTime() - t.clock.now().getTime());

  it('registration alone is no activity, and neither is a failed login', async () => {
    await t.http.post('/auth/login').send({ email: input.email, password: 'not the password' }).expect(401);
    expect(await activities()).toEqual([]);
  });

  it('two logins on one day (one after the other, then two at once) give one Activity with the day, its ISO week and the cohort week', async () => {
    // Monday 30 December 2030 belongs to ISO week 1 of 2031: the week is not the calendar year's.
    travelTo('2030-12-30T08:00:00Z');
    await login().expect(200);
    t.clock.advance(3_600_000);
    await login().expect(200);
    const together = await Promise.all([login(), login()]);
    expect(together.map((res) => res.status)).toEqual([200, 200]);

    expect(signupWeek).toMatch(/^\d{4}-W\d{2}$/);
    expect(signupWeek).not.toBe('2031-W01');
    expect(await activities()).toEqual([{ userId, day: '2030-12-30', week: '2031-W01', month: '2030-12', cohortWeek: signupWeek }]);
    expect((await users().findOne({ _id: userId as never }))?.['lastLoginAt']).toEqual(new Date('2030-12-30T09:00:00Z'));
  });

  it('each login is one upsert on the unique (userId, day) key', async () => {
    const Activity = t.app.get<Model<ActivityFields>>(modelToken(ModelName.Activity, ConnectionRole.Fast));
    const writes = jest.spyOn(Activity, 'updateOne');
    try {
      await login().expect(200);
      expect(writes).toHaveBeenCalledTimes(1);
      const [filter, , options] = writes.mock.calls[0];
      expect(filter).toEqual({ userId, day: '2030-12-30' });
      expect(options).toMatchObject({ upsert: true });
    } finally {
      writes.mockRestore();
    }
    const indexes = await t.connection.collection('activities').indexes();
    expect(indexes).toContainEqual(expect.objectContaining({ key: { userId: 1, day: 1 }, unique: true }));
  });

  it('a new day is a new Activity; a new ISO week starts on Monday', async () => {
    travelTo('2031-01-05T23:59:59Z'); // Sunday, still 2031-W01
    await login().expect(200);
    travelTo('2031-01-06T00:00:00Z'); // Monday, 2031-W02
    await login().expect(200);
    const rollups = await activities();
    expect(rollups.map(({ day, week, month, cohortWeek }) => ({ day, week, month, cohortWeek }))).toEqual([
      { day: '2030-12-30', week: '2031-W01', month: '2030-12', cohortWeek: signupWeek },
      { day: '2031-01-05', week: '2031-W01', month: '2031-01', cohortWeek: signupWeek },
      { day: '2031-01-06', week: '2031-W02', month: '2031-01', cohortWeek: signupWeek },
    ]);
    expect((await users().findOne({ _id: userId as never }))?.['lastLoginAt']).toEqual(new Date('2031-01-06T00:00:00Z'));
  });
});
