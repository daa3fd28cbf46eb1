import type { INestApplication } from '@nestjs/common';
import { dropTestDatabase, startAuthApi, testDatabase, testEnv, type AuthApiHandle, type RegisteredUser } from '@directory/testing';
import { Types } from 'mongoose';
import request from 'supertest';
import { startAnalyticsApp } from './support/analytics-app';

/**
 * FerretDB v1.24 honours maxTimeMS on aggregate (it answers MaxTimeMSExpired, code 50, as
 * MongoDB does), so this runs on every backend: a 1 ms budget against a year of activity
 * (11k user-days) must answer 503 instead of running on.
 */
describe('time budget: an aggregation past ANALYTICS_MAX_TIME_MS answers 503', () => {
  const { dbName } = testDatabase();
  const USERS = 30;
  const DAYS = 365;
  /** 2027-01-01 … 2027-03-31. */
  const QUARTER_DAYS = 90;
  let auth: AuthApiHandle;
  let tight: INestApplication;
  let roomy: INestApplication;
  let admin: RegisteredUser;

  beforeAll(async () => {
    auth = await startAuthApi(testEnv(dbName));
    admin = await auth.registerAdmin();
    // Bulk fixture through the raw driver (PRINCIPLES.md #9), keys computed here: every user active every day of 2027.
    const activities = auth.connection.collection('activities');
    const users = Array.from({ length: USERS }, () => new Types.ObjectId());
    const start = Date.UTC(2027, 0, 1);
    const docs = [];
    for (let d = 0; d < DAYS; d++) {
      const date = new Date(start + d * 86_400_000);
      const day = date.toISOString().slice(0, 10);
      // The week is irrelevant to a month question; a fixed valid key keeps the fixture simple.
      for (const userId of users)
        docs.push({ userId, day, week: '2027-W01', month: day.slice(0, 7), cohortWeek: '2026-W53', createdAt: date, updatedAt: date });
    }
    await activities.insertMany(docs, { ordered: false });
    // The funnels read events: the first quarter's user-days as funnel steps (5,400 events; raw driver, keys computed here).
    const events = docs.slice(0, USERS * QUARTER_DAYS).flatMap(({ userId, day, month, createdAt }, i) => [
      { kind: i % 2 ? 'UserRegistered' : 'UserInvited', userId, day, week: '2027-W01', month, cohortWeek: '2026-W53', at: createdAt },
      { kind: i % 2 ? 'EmailVerified' : 'InvitationAccepted', userId, day, week: '2027-W01', month, cohortWeek: '2026-W53', at: createdAt },
    ]);
    await auth.connection.collection('events').insertMany(events, { ordered: false });
    tight = await startAnalyticsApp(dbName, auth, { ANALYTICS_MAX_TIME_MS: '1', ANALYTICS_CACHE_TTL_MS: '0' });
    roomy = await startAnalyticsApp(dbName, auth, { ANALYTICS_MAX_TIME_MS: '120000', ANALYTICS_CACHE_TTL_MS: '0' });
  }, 120_000);

  afterAll(async () => {
    await tight?.close();
    await roomy?.close();
    const connection = auth?.connection;
    if (connection?.readyState === 1) await dropTestDatabase(connection, dbName);
    await auth?.close();
  });

  const path = '/analytics/active-users?interval=month&from=2027-01-01&to=2028-01-01';

  it('a 1 ms budget → 503 time_budget_exceeded with a clear message', async () => {
    const res = await request(tight.getHttpServer()).get(path).set('Authorization', `Bearer ${admin.accessToken}`).expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'time_budget_exceeded', message: expect.stringMatching(/time budget/) });
  });

  it('the same question within a roomy budget answers 200 with every user-day counted', async () => {
    const res = await request(roomy.getHttpServer()).get(path).set('Authorization', `Bearer ${admin.accessToken}`);
    expect(res.status).toBe(200);
    expect(res.body.rows).toHaveLength(12);
    expect(res.body.rows).toEqual(res.body.rows.map((row: { bucket: string }) => ({ bucket: row.bucket, count: USERS })));
  });

  const funnels = '/analytics/funnels?interval=month&from=2027-01-01&to=2028-01-01';

  it('the funnels follow the same budget: 503 at 1 ms, every event counted within a roomy one', async () => {
    const res = await request(tight.getHttpServer()).get(funnels).set('Authorization', `Bearer ${admin.accessToken}`).expect(503);
    expect(res.body.code).toBe('time_budget_exceeded');
    const roomyRes = await request(roomy.getHttpServer()).get(funnels).set('Authorization', `Bearer ${admin.accessToken}`).expect(200);
    expect(roomyRes.body.rows.map((row: { bucket: string; registered: number }) => [row.bucket, row.registered])).toEqual(
      Array.from({ length: 12 }, (_, m) => [`2027-${String(m + 1).padStart(2, '0')}`, m < 3 ? 15 : 0]),
    );
    // Each user alternates between the two funnels day by day: 15 distinct users per step and month.
    expect(roomyRes.body.totals).toMatchObject({ registered: 15, verified: 15, invited: 15, accepted: 15, verificationRate: 1 });
  });
});
