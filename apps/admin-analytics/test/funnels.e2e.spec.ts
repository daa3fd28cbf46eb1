import type { INestApplication } from '@nestjs/common';
import { dropTestDatabase, startAuthApi, testDatabase, testEnv, type AuthApiHandle, type RegisteredUser } from '@directory/testing';
import { EventKind, MailTemplate } from '@directory/schemas';
import { Types, type Connection } from 'mongoose';
import request from 'supertest';
import { startAnalyticsApp } from './support/analytics-app';

/**
 * GET /analytics/funnels on a real database with hand-placed events around the edges of ISO
 * weeks 2027-W01 (Mon 01-04 … Sun 01-10) and 2027-W02 (01-11 … 01-17): every expected figure
 * below is counted by hand from this list, not computed by the code under test.
 */
const u = Object.fromEntries(['u1', 'u2', 'u3', 'u4', 'u5', 'i1', 'i2', 'i3', 'i4', 'i5', 'admin'].map((k) => [k, new Types.ObjectId()]));
type Step = [kind: string, user: keyof typeof u, at: string, extra?: Record<string, unknown>];
const invitedBy = { by: u['admin'] };
const mail = (template: string) => ({ template, attempts: 1 });

const EVENTS: Step[] = [
  // Verification
  [EventKind.UserRegistered, 'u5', '2027-01-03T23:59:59.999Z'], // 2026-W53: before the range
  [EventKind.EmailVerified, 'u5', '2027-01-04T08:00:00.000Z'], // …verified in W01
  [EventKind.UserRegistered, 'u1', '2027-01-04T10:00:00.000Z'],
  [EventKind.EmailVerified, 'u1', '2027-01-04T10:05:00.000Z'],
  [EventKind.UserRegistered, 'u2', '2027-01-05T00:00:00.000Z'],
  [EventKind.EmailVerified, 'u2', '2027-01-12T09:00:00.000Z'], // verified the week after
  [EventKind.UserRegistered, 'u3', '2027-01-10T23:59:59.999Z'], // last instant of W01, never verified
  [EventKind.UserRegistered, 'u4', '2027-01-11T00:00:00.000Z'],
  [EventKind.EmailVerified, 'u4', '2027-01-11T01:00:00.000Z'],
  [EventKind.EmailVerified, 'u4', '2027-01-11T05:00:00.000Z'], // again after an email change: one user
  // Invitations
  [EventKind.UserInvited, 'i1', '2027-01-04T12:00:00.000Z', invitedBy],
  [EventKind.UserInvited, 'i1', '2027-01-06T12:00:00.000Z', invitedBy], // re-invited the same week: one user
  [EventKind.InvitationAccepted, 'i1', '2027-01-07T09:00:00.000Z'],
  [EventKind.UserInvited, 'i2', '2027-01-05T09:00:00.000Z', invitedBy], // never accepted
  [EventKind.UserInvited, 'i3', '2027-01-09T09:00:00.000Z', invitedBy],
  [EventKind.InvitationAccepted, 'i3', '2027-01-13T09:00:00.000Z'],
  [EventKind.UserInvited, 'i4', '2027-01-12T00:00:00.000Z', invitedBy],
  [EventKind.UserInvited, 'i4', '2027-01-16T00:00:00.000Z', invitedBy],
  [EventKind.UserInvited, 'i5', '2027-01-18T00:00:00.000Z', invitedBy], // at `to`: excluded
  // Mail delivery
  [EventKind.MailSent, 'u1', '2027-01-04T10:01:00.000Z', mail(MailTemplate.EmailVerification)],
  [EventKind.MailSent, 'i1', '2027-01-04T12:01:00.000Z', mail(MailTemplate.Invitation)],
  [EventKind.MailSent, 'i1', '2027-01-06T12:01:00.000Z', mail(MailTemplate.Invitation)],
  [EventKind.MailSent, 'u4', '2027-01-11T00:01:00.000Z', mail(MailTemplate.EmailVerification)],
  [EventKind.MailFailed, 'i4', '2027-01-12T00:05:00.000Z', { template: MailTemplate.Invitation, reason: '550 mailbox unavailable' }],
  [EventKind.MailSent, 'i5', '2027-01-18T00:01:00.000Z', mail(MailTemplate.Invitation)], // excluded
  // Noise the funnels must not count
  [EventKind.LoginSucceeded, 'u1', '2027-01-05T08:00:00.000Z'],
  [EventKind.MailRequested, 'u2', '2027-01-05T00:00:01.000Z', { template: MailTemplate.EmailVerification }],
  [EventKind.PasswordReset, 'u1', '2027-01-06T08:00:00.000Z'],
];

async function writeEvents(connection: Connection): Promise<void> {
  // Through the compiled discriminator models: the middleware writes day/week/month as in production.
  for (const [kind, user, at, extra] of EVENTS) {
    await connection.model(kind).create({ userId: u[user], cohortWeek: '2027-W01', at: new Date(at), ...extra });
  }
}

const figures = (
  registered: number,
  verified: number,
  invited: number,
  accepted: number,
  mailSent: number,
  mailFailed: number,
): Record<string, number | null> => ({
  registered,
  verified,
  verificationRate: registered > 0 ? verified / registered : null,
  invited,
  accepted,
  acceptanceRate: invited > 0 ? accepted / invited : null,
  mailSent,
  mailFailed,
});

describe('GET /analytics/funnels: verification and invitation funnels from the events collection', () => {
  const { dbName } = testDatabase();
  let auth: AuthApiHandle;
  let app: INestApplication;
  let admin: RegisteredUser;
  let member: RegisteredUser;

  beforeAll(async () => {
    auth = await startAuthApi(testEnv(dbName));
    app = await startAnalyticsApp(dbName, auth, { ANALYTICS_MAX_RANGE_DAYS: '366' });
    admin = await auth.registerAdmin();
    member = await auth.register();
    // The two test accounts registered today (far from 2027-01): they cannot reach the ranges below.
    await writeEvents(auth.connection);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    const connection = auth?.connection;
    if (connection?.readyState === 1) await dropTestDatabase(connection, dbName);
    await auth?.close();
  });

  const get = (path: string, token = admin.accessToken) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);
  const ok = async (path: string) => (await get(path).expect(200)).body;

  it('weeks: distinct users per step and bucket, rates per bucket, totals over the range', async () => {
    const body = await ok('/analytics/funnels?interval=week&from=2027-01-04&to=2027-01-18');
    expect(body).toMatchObject({ interval: 'week', from: '2027-01-04', to: '2027-01-18' });
    expect(body.rows).toEqual([
      // W01: u1 u2 u3 registered; u5 (registered in W53) and u1 verified; i1 (twice) i2 i3 invited; i1 accepted.
      { bucket: '2027-W01', ...figures(3, 2, 3, 1, 3, 0) },
      // W02: u4 registered; u2 and u4 (twice) verified — 2 of 1: steps count when they happen; i4 (twice) invited, i3 accepted.
      { bucket: '2027-W02', ...figures(1, 2, 1, 1, 1, 1) },
    ]);
    expect(body.rows[0].verificationRate).toBeCloseTo(2 / 3, 12);
    expect(body.rows[1].verificationRate).toBe(2);
    expect(body.totals).toEqual(figures(4, 4, 4, 2, 4, 1));
    expect(body.totals.acceptanceRate).toBe(0.5);
  });

  it('days: each day its own row; a re-invitation on another day counts in each day but once in the total', async () => {
    const body = await ok('/analytics/funnels?interval=day&from=2027-01-04&to=2027-01-07');
    expect(body.rows).toEqual([
      { bucket: '2027-01-04', ...figures(1, 2, 1, 0, 2, 0) },
      { bucket: '2027-01-05', ...figures(1, 0, 1, 0, 0, 0) },
      { bucket: '2027-01-06', ...figures(0, 0, 1, 0, 1, 0) },
    ]);
    expect(body.rows[2].verificationRate).toBeNull();
    expect(body.totals).toEqual(figures(2, 2, 2, 0, 3, 0));
    expect(body.totals.acceptanceRate).toBe(0);
  });

  it('months widen to whole months: the W53 registration and the 01-18 events join', async () => {
    const body = await ok('/analytics/funnels?interval=month&from=2027-01-04&to=2027-01-18');
    expect(body).toMatchObject({ from: '2027-01-01', to: '2027-02-01' });
    expect(body.rows).toEqual([{ bucket: '2027-01', ...figures(5, 4, 5, 2, 5, 1) }]);
    expect(body.totals).toEqual(figures(5, 4, 5, 2, 5, 1));
  });

  it('a range without events: zero-filled rows, null rates', async () => {
    const body = await ok('/analytics/funnels?interval=week&from=2027-03-01&to=2027-03-15');
    expect(body.rows).toEqual([
      { bucket: '2027-W09', ...figures(0, 0, 0, 0, 0, 0) },
      { bucket: '2027-W10', ...figures(0, 0, 0, 0, 0, 0) },
    ]);
    expect(body.totals.verificationRate).toBeNull();
  });

  it('text/csv: the rows as a table', async () => {
    const res = await get('/analytics/funnels?interval=week&from=2027-01-04&to=2027-01-18').set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('bucket,registered,verified,verificationRate,invited,accepted,acceptanceRate,mailSent,mailFailed');
    expect(lines[2]).toBe('2027-W02,1,2,2,1,1,1,1,1');
  });

  it.each([
    ['/analytics/funnels?interval=year', 400, 'validation_failed'],
    ['/analytics/funnels?bucket=week', 400, 'validation_failed'],
    ['/analytics/funnels?from=2027-02-29', 400, 'validation_failed'],
    ['/analytics/funnels?from=2027-01-05&to=2027-01-05', 400, 'invalid_range'],
    ['/analytics/funnels?from=2026-01-01&to=2027-06-01', 400, 'range_too_large'],
  ])('%s → %d %s', async (path, status, code) => {
    expect((await get(path).expect(status)).body.code).toBe(code);
  });

  it('admins only: no token → 401, a member → 403', async () => {
    await request(app.getHttpServer()).get('/analytics/funnels').expect(401);
    expect((await get('/analytics/funnels', member.accessToken).expect(403)).body.code).toBe('forbidden');
  });

  it('is in the OpenAPI document, with its query and answer', async () => {
    const doc = (await request(app.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
    const operation = doc.paths['/analytics/funnels'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['from', 'interval', 'to']);
    expect(JSON.stringify(operation.responses['200'])).toContain('FunnelsAnswer');
    expect(Object.keys(doc.components.schemas.FunnelRow.properties)).toEqual(
      expect.arrayContaining(['bucket', 'registered', 'verified', 'verificationRate', 'invited', 'accepted', 'acceptanceRate']),
    );
  });
});
