import type { INestApplication } from '@nestjs/common';
import { dropTestDatabase, startAuthApi, testDatabase, testEnv, type AuthApiHandle, type RegisteredUser } from '@directory/testing';
import request from 'supertest';
import { startAnalyticsApp } from './support/analytics-app';
import {
  expectedActiveUsers,
  expectedBreakdown,
  expectedCohorts,
  expectedLogins,
  expectedSignups,
  oracleIsoWeek,
  type Interval,
  type RawActivity,
  type RawEvent,
  type RawUser,
} from './support/oracle';
import { seedAnalyticsFixture } from './support/seed-fixture';

describe('admin-analytics: every endpoint against an independent oracle on the seeded data', () => {
  const { dbName } = testDatabase();
  let auth: AuthApiHandle;
  let app: INestApplication;
  let admin: RegisteredUser;
  let member: RegisteredUser;
  let users: RawUser[];
  let events: RawEvent[];
  let activities: RawActivity[];

  beforeAll(async () => {
    auth = await startAuthApi(testEnv(dbName));
    app = await startAnalyticsApp(dbName, auth, { ANALYTICS_MAX_RANGE_DAYS: '366' });
    admin = await auth.registerAdmin();
    member = await auth.register();
    const connection = auth.connection;
    await seedAnalyticsFixture(connection);
    // The oracle reads the raw documents back (including what auth-api wrote for the two
    // test accounts): only stored facts, never the derived keys the app groups on.
    users = (await connection.collection('users').find({}).toArray()).map((doc) => ({
      _id: String(doc['_id']),
      createdAt: doc['createdAt'] as Date,
      email: doc['email'] as string,
      department: doc['department'] as string | undefined,
      roles: doc['roles'] as string[],
      status: doc['status'] as string,
    }));
    events = (
      await connection
        .collection('events')
        .find({ kind: { $in: ['LoginSucceeded', 'LoginFailed'] } })
        .toArray()
    ).map((doc) => ({
      kind: doc['kind'] as string,
      at: doc['at'] as Date,
      reason: doc['reason'] as string | undefined,
    }));
    activities = (await connection.collection('activities').find({}).toArray()).map((doc) => ({
      userId: String(doc['userId']),
      day: doc['day'] as string,
    }));
  });

  afterAll(async () => {
    await app?.close();
    const connection = auth?.connection;
    if (connection?.readyState === 1) await dropTestDatabase(connection, dbName);
    await auth?.close();
  });

  const get = (path: string, token = admin.accessToken) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);
  const ok = async (path: string) => (await get(path).expect(200)).body;

  it('the oracle agrees with the calendar on the edges the fixture targets', () => {
    expect(oracleIsoWeek(new Date('2026-12-31T12:00:00Z'))).toBe('2026-W53');
    expect(oracleIsoWeek(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53');
    expect(oracleIsoWeek(new Date('2027-01-03T23:59:59Z'))).toBe('2026-W53');
    expect(oracleIsoWeek(new Date('2027-01-04T00:00:00Z'))).toBe('2027-W01');
    expect(oracleIsoWeek(new Date('2026-12-27T23:59:59Z'))).toBe('2026-W52');
    expect(oracleIsoWeek(new Date('2028-02-29T12:00:00Z'))).toBe('2028-W09');
    // The fixture really exercises them: data on both sides of each edge.
    expect(users.some((u) => u.createdAt.toISOString().startsWith('2028-02-29'))).toBe(true);
    expect(activities.some((a) => a.day === '2028-02-29')).toBe(true);
    expect(events.filter((e) => e.kind === 'LoginFailed').length).toBeGreaterThan(20);
  });

  const ranges: Array<[Interval, string, string]> = [
    ['day', '2026-12-26', '2027-01-06'],
    ['day', '2028-02-27', '2028-03-02'],
    ['week', '2026-12-20', '2027-02-10'],
    ['week', '2028-02-20', '2028-03-08'],
    ['month', '2026-12-01', '2027-03-01'],
    ['month', '2028-01-15', '2028-03-15'],
  ];

  describe.each(ranges)('interval=%s from=%s to=%s', (interval, from, to) => {
    const query = `interval=${interval}&from=${from}&to=${to}`;

    it('signups match, every bucket present and zero-filled', async () => {
      const body = await ok(`/analytics/signups?${query}`);
      const expected = expectedSignups(users, interval, from, to);
      expect(body).toMatchObject({
        interval,
        from: expected.range.from.toISOString().slice(0, 10),
        to: expected.range.to.toISOString().slice(0, 10),
      });
      expect(new Date(body.generatedAt).toString()).not.toBe('Invalid Date');
      expect(body.rows).toEqual(expected.rows);
      expect(body.rows.some((row: { count: number }) => row.count > 0)).toBe(true);
    });

    it('active users match (distinct users per bucket)', async () => {
      const body = await ok(`/analytics/active-users?${query}`);
      expect(body.rows).toEqual(expectedActiveUsers(activities, interval, from, to).rows);
    });

    it('logins match, failures split by reason', async () => {
      const body = await ok(`/analytics/logins?${query}`);
      expect(body.rows).toEqual(expectedLogins(events, interval, from, to).rows);
    });
  });

  it('names the edge buckets as the calendar does: 2026-12-31 and 2027-01-01 share 2026-W53; 2028-02-29 is a day of its own', async () => {
    const weeks = await ok('/analytics/signups?interval=week&from=2026-12-28&to=2027-01-11');
    expect(weeks.rows.map((row: { bucket: string }) => row.bucket)).toEqual(['2026-W53', '2027-W01']);
    const days = await ok('/analytics/signups?interval=day&from=2028-02-28&to=2028-03-01');
    expect(days.rows).toEqual([
      { bucket: '2028-02-28', count: expect.any(Number) },
      { bucket: '2028-02-29', count: 2 },
    ]);
  });

  it.each([
    ['2026-12-21', 6],
    ['2028-02-23', 2],
    ['2027-01-01', 0],
  ])('cohorts from=%s weeks=%d match, shares included', async (from, weeks) => {
    const body = await ok(`/analytics/cohorts?from=${from}&weeks=${weeks}`);
    const expected = expectedCohorts(users, activities, from, weeks);
    expect(body).toMatchObject({ from: expected.from, weeks });
    const withoutShare = (row: { share: number | null }) => ({ ...row, share: undefined });
    expect(body.rows.map(withoutShare)).toEqual(expected.rows.map(withoutShare));
    body.rows.forEach((row: { share: number | null }, i: number) => {
      const share = expected.rows[i].share;
      if (share === null) expect(row.share).toBeNull();
      else expect(row.share).toBeCloseTo(share, 12);
    });
    expect(body.rows.length).toBe(((weeks + 1) * (weeks + 2)) / 2);
  });

  it('the first cohort matrix has real retention in it', async () => {
    const body = await ok('/analytics/cohorts?from=2026-12-21&weeks=6');
    expect(body.rows.some((row: { offset: number; active: number }) => row.offset > 0 && row.active > 0)).toBe(true);
  });

  it.each([
    ['department', 3],
    ['department', 100],
    ['role', 1],
    ['role', 10],
    ['status', 2],
    ['emailDomain', 2],
    ['emailDomain', 10],
  ] as const)('breakdown by=%s limit=%d matches, "other" row past the limit', async (by, limit) => {
    const body = await ok(`/analytics/breakdown?by=${by}&limit=${limit}`);
    const expected = expectedBreakdown(users, by, limit);
    expect(body).toMatchObject({ by, limit, total: expected.total });
    expect(body.rows).toEqual(expected.rows);
  });

  it('text/csv returns the same table', async () => {
    const json = await ok('/analytics/logins?interval=day&from=2028-02-28&to=2028-03-02');
    const res = await get('/analytics/logins?interval=day&from=2028-02-28&to=2028-03-02').set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('bucket,succeeded,failed,failedByReason.bad_password,failedByReason.locked,failedByReason.unknown_email');
    expect(lines.slice(1)).toEqual(
      json.rows.map(
        (r: { bucket: string; succeeded: number; failed: number; failedByReason: Record<string, number> }) =>
          `${r.bucket},${r.succeeded},${r.failed},${r.failedByReason['bad_password']},${r.failedByReason['locked']},${r.failedByReason['unknown_email']}`,
      ),
    );
    const cohorts = await get('/analytics/cohorts?from=2026-12-21&weeks=2').set('Accept', 'text/csv').expect(200);
    expect(cohorts.text.split('\r\n')[0]).toBe('cohortWeek,size,offset,week,active,share');
  });

  it('answers a repeated question from the cache (same generatedAt)', async () => {
    const first = await ok('/analytics/breakdown?by=status&limit=5');
    const second = await ok('/analytics/breakdown?by=status&limit=5');
    expect(second.generatedAt).toBe(first.generatedAt);
  });

  describe('validation → 400, never a 500', () => {
    it.each([
      ['/analytics/signups?interval=year', /interval must be one of/],
      ['/analytics/active-users?interval=hour', /interval must be one of/],
      ['/analytics/logins?interval=fortnight', /interval must be one of/],
      ['/analytics/signups?from=2027-01-05&to=2027-01-05', /from must be before to/],
      ['/analytics/signups?from=2027-01-06&to=2027-01-05', /from must be before to/],
      ['/analytics/logins?from=2026-01-01&to=2027-06-01', /at most 366/],
      ['/analytics/cohorts?from=2027-01-01&weeks=60', /at most 366/],
      ['/analytics/breakdown?by=favouriteColour', /by must be one of/],
      ['/analytics/breakdown', /by must be one of/],
      ['/analytics/breakdown?by=role&limit=0', /limit/],
      ['/analytics/cohorts?weeks=-1', /weeks/],
      ['/analytics/signups?from=2027-02-29&to=2027-03-05', /calendar date/],
      ['/analytics/signups?from=yesterday', /calendar date/],
      ['/analytics/signups?from=2027-01-01&to=2027-01-05&extra=1', /extra should not exist/],
    ])('%s', async (path, message) => {
      const res = await get(path).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });
  });

  describe('access', () => {
    const paths = [
      '/analytics/signups',
      '/analytics/active-users',
      '/analytics/cohorts',
      '/analytics/breakdown?by=role',
      '/analytics/logins',
    ];

    it.each(paths)('%s: no token → 401', async (path) => {
      await request(app.getHttpServer()).get(path).expect(401);
    });

    it.each(paths)('%s: a member → 403', async (path) => {
      const res = await get(path, member.accessToken).expect(403);
      expect(res.body.code).toBe('forbidden');
    });
  });
});
