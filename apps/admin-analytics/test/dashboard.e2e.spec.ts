import type { INestApplication } from '@nestjs/common';
import {
  dropTestDatabase,
  startAuthApi,
  testDatabase,
  testEnv,
  type AuthApiHandle,
  type RegisteredUser,
  browserTests,
  MISSING_CHROMIUM,
  launchChromium,
  openOfflinePage,
  SCREENSHOT_DIR,
} from '@directory/testing';
import { mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { signInOnDashboard } from './support/dashboard-page';
import request from 'supertest';
import { startAnalyticsApp } from './support/analytics-app';
import { seedAnalyticsFixture, type SeededUser } from './support/seed-fixture';
import { ModelName, type SecondFactorType } from '@directory/schemas';
import { AuthLoginProxy } from '../src/app/dashboard/auth-login-proxy';
import type { AdminAnalyticsConfig } from '../src/config';

const { chromiumPath, browserIt } = browserTests('dashboard');

/** Factor sets in rotation: what auth-api's recordSecondFactors would have written (the seed invents none). */
const FACTOR_SETS: Array<SecondFactorType[] | undefined> = [['recovery_code', 'totp'], undefined, ['webauthn'], [], undefined];

/** Every fixture user signed in inside the range the test picks; some have second factors. */
async function enrolSecondFactors(auth: AuthApiHandle, users: SeededUser[]): Promise<void> {
  const model = auth.connection.model(ModelName.User);
  for (const [i, user] of users.entries()) {
    const secondFactors = FACTOR_SETS[i % FACTOR_SETS.length];
    await model.updateOne(
      { _id: user._id },
      { $set: { lastLoginAt: new Date('2027-01-15T09:00:00Z'), ...(secondFactors && { secondFactors }) } },
    );
  }
}

describe('GET /dashboard: the admin page, its sign-in, and the charts in real headless Chromium', () => {
  const { dbName } = testDatabase();
  let auth: AuthApiHandle;
  let app: INestApplication;
  let baseUrl: string;
  let admin: RegisteredUser;
  let member: RegisteredUser;
  let browser: Browser | undefined;

  beforeAll(async () => {
    auth = await startAuthApi(testEnv(dbName));
    admin = await auth.registerAdmin({ department: 'Engineering' });
    member = await auth.register();
    const fixture = await seedAnalyticsFixture(auth.connection);
    await enrolSecondFactors(auth, fixture.users);
    app = await startAnalyticsApp(dbName, auth);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    const connection = auth?.connection;
    if (connection?.readyState === 1) await dropTestDatabase(connection, dbName);
    await auth?.close();
  });

  describe('over HTTP', () => {
    it('serves the page without a token, settings as JSON data, a strict CSP and no CDN', async () => {
      const res = await request(app.getHttpServer()).get('/dashboard').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.text).toContain('"loginUrl":"/dashboard/api/login"');
      expect(res.text).not.toMatch(/https?:\/\//);
      const chart = await request(app.getHttpServer()).get('/dashboard/assets/chart.umd.min.js').expect(200);
      expect(chart.headers['content-type']).toMatch(/javascript/);
      expect(chart.text.length).toBeGreaterThan(100_000);
      await request(app.getHttpServer()).get('/dashboard/assets/..%2F..%2Fconfig.ts').expect(404);
      await request(app.getHttpServer()).get('/dashboard/assets/index.html').expect(404);
    });

    it('forwards sign-in to auth-api and hands the page the access token only', async () => {
      const res = await request(app.getHttpServer())
        .post('/dashboard/api/login')
        .send({ email: admin.email, password: admin.password })
        .expect(200);
      expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn']);
      await request(app.getHttpServer()).get('/analytics/signups').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
      const wrong = await request(app.getHttpServer())
        .post('/dashboard/api/login')
        .send({ email: admin.email, password: 'not the password' })
        .expect(401);
      expect(wrong.body.message).toBeDefined();
      await request(app.getHttpServer()).post('/dashboard/api/login').send({ email: admin.email }).expect(400);
    });
  });

  describe('in Chromium', () => {
    let page: Page;

    beforeAll(async () => {
      if (!chromiumPath) return;
      browser = await launchChromium(chromiumPath);
    }, 60_000);

    beforeEach(async () => {
      if (!browser) throw new Error(MISSING_CHROMIUM);
      const opened = await openOfflinePage(browser, baseUrl, { width: 1400, height: 1000 });
      page = opened.page;
      page.on('close', () => expect(opened.outside).toEqual([]));
    });

    afterEach(async () => {
      await page?.close();
    });

    const signIn = (email: string, password: string) => signInOnDashboard(page, baseUrl, email, password);

    browserIt('a non-admin sees "admin role required", not a broken page', async () => {
      await signIn(member.email, member.password);
      await page.waitForSelector('body[data-state="forbidden"]');
      expect(await page.textContent('#message')).toContain('admin role required');
      expect(await page.isVisible('#dashboard')).toBe(false);
    });

    browserIt('an admin signs in, re-queries a range, and the charts show exactly the API figures', async () => {
      await signIn(admin.email, admin.password);
      await page.waitForSelector('body[data-state="ready"]');
      const firstLoad = await page.getAttribute('body', 'data-loaded-at');

      await page.fill('#from', '2026-12-21');
      await page.fill('#to', '2027-02-08');
      await page.fill('#weeks', '6');
      await page.selectOption('#interval', 'week');
      await page.click('#controls button[type=submit]');
      await page.waitForFunction(
        (previous) => document.body.dataset['state'] === 'ready' && document.body.dataset['loadedAt'] !== previous,
        firstLoad,
      );

      const token = (await request(app.getHttpServer()).post('/dashboard/api/login').send({ email: admin.email, password: admin.password }))
        .body.accessToken;
      const api = async (path: string) =>
        (await request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`).expect(200)).body;
      const range = 'from=2026-12-21&to=2027-02-08&interval=week';
      const [signups, active, logins, departments, cohorts, funnels, mfa] = await Promise.all([
        api(`/analytics/signups?${range}`),
        api(`/analytics/active-users?${range}`),
        api(`/analytics/logins?${range}`),
        api('/analytics/breakdown?by=department&limit=10'),
        api('/analytics/cohorts?from=2026-12-21&weeks=6'),
        api(`/analytics/funnels?${range}`),
        api('/analytics/mfa-adoption?from=2026-12-21'),
      ]);

      const chart = (id: string) =>
        page.evaluate((canvasId) => {
          const instance = (
            window as unknown as {
              Chart: { getChart(id: string): { data: { labels: unknown[]; datasets: Array<{ label: string; data: unknown[] }> } } };
            }
          ).Chart.getChart(canvasId);
          return { labels: instance.data.labels, datasets: instance.data.datasets.map((d) => ({ label: d.label, data: d.data })) };
        }, id);

      const signupsChart = await chart('signups-chart');
      expect(signupsChart.labels).toEqual(signups.rows.map((r: { bucket: string }) => r.bucket));
      expect(signupsChart.labels).toContain('2026-W53');
      expect(signupsChart.datasets[0].data).toEqual(signups.rows.map((r: { count: number }) => r.count));
      const signupTotal = signups.rows.reduce((sum: number, r: { count: number }) => sum + r.count, 0);
      expect(signupTotal).toBeGreaterThan(0);
      expect(await page.textContent('#signups-total')).toBe(`total ${signupTotal}`);

      expect((await chart('active-chart')).datasets[0].data).toEqual(active.rows.map((r: { count: number }) => r.count));

      const loginsChart = await chart('logins-chart');
      expect(loginsChart.datasets.map((d) => d.label)).toEqual([
        'Succeeded',
        'Failed: bad password',
        'Failed: locked',
        'Failed: unknown email',
      ]);
      expect(loginsChart.datasets[0].data).toEqual(logins.rows.map((r: { succeeded: number }) => r.succeeded));
      expect(loginsChart.datasets[1].data).toEqual(
        logins.rows.map((r: { failedByReason: Record<string, number> }) => r.failedByReason['bad_password']),
      );
      expect(loginsChart.datasets[3].data).toEqual(
        logins.rows.map((r: { failedByReason: Record<string, number> }) => r.failedByReason['unknown_email']),
      );

      const departmentChart = await chart('department-chart');
      expect(departmentChart.labels).toEqual(departments.rows.map((r: { key: string }) => r.key));
      expect(departmentChart.datasets[0].data).toEqual(departments.rows.map((r: { count: number }) => r.count));
      expect(await page.textContent('#department-total')).toBe(`${departments.total} users`);

      // The heat map: one cell per (cohort, offset), its text the API's share as a percentage.
      const cells = await page.$$eval('#cohort-table td.cell[data-offset]', (tds) =>
        tds.map((td) => ({
          cohort: (td.parentElement as HTMLElement).dataset['cohort'],
          offset: Number(td.getAttribute('data-offset')),
          text: td.textContent,
        })),
      );
      expect(cells).toEqual(
        cohorts.rows.map((r: { cohortWeek: string; offset: number; share: number | null }) => ({
          cohort: r.cohortWeek,
          offset: r.offset,
          text: r.share === null ? '–' : `${(r.share * 100).toFixed(1)}%`,
        })),
      );
      expect(cells.some((cell) => cell.offset > 0 && cell.text !== '0.0%' && cell.text !== '–')).toBe(true);

      // Verification and invitations: the bars and the table are the API's figures, rates as percentages.
      const funnelsChart = await chart('funnels-chart');
      expect(funnelsChart.labels).toEqual(funnels.rows.map((r: { bucket: string }) => r.bucket));
      expect(funnelsChart.datasets.map((d) => d.label)).toEqual(['Registered', 'Verified', 'Invited', 'Accepted']);
      for (const [i, key] of ['registered', 'verified', 'invited', 'accepted'].entries()) {
        expect(funnelsChart.datasets[i].data).toEqual(funnels.rows.map((r: Record<string, number>) => r[key]));
      }
      const percent = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)}%`);
      const asTable = (figures: Record<string, number | null>) => [
        String(figures['registered']),
        String(figures['verified']),
        percent(figures['verificationRate']),
        String(figures['invited']),
        String(figures['accepted']),
        percent(figures['acceptanceRate']),
        String(figures['mailSent']),
        String(figures['mailFailed']),
      ];
      const funnelTable = await page.$$eval('#funnels-table tr[data-bucket]', (trs) =>
        trs.map((tr) => ({
          bucket: (tr as HTMLElement).dataset['bucket'],
          cells: Array.from(tr.querySelectorAll('td')).map((td) => td.textContent),
        })),
      );
      expect(funnelTable).toEqual([
        ...funnels.rows.map((r: { bucket: string } & Record<string, number | null>) => ({ bucket: r.bucket, cells: asTable(r) })),
        { bucket: 'total', cells: asTable(funnels.totals) },
      ]);
      // Filled, not just present: people registered, verified, were invited and accepted in this range.
      for (const key of ['registered', 'verified', 'invited', 'accepted', 'mailSent', 'mailFailed']) {
        expect(funnels.totals[key]).toBeGreaterThan(0);
      }
      expect(await page.textContent('#funnels-total')).toBe(
        `${percent(funnels.totals.verificationRate)} verified · ${percent(funnels.totals.acceptanceRate)} of invitations accepted`,
      );

      // Second factors: bars are the API's shares in percent, the table its counts and shares, in its order.
      type MfaRow = { factor: string; users: number; share: number | null };
      const mfaChart = await chart('mfa-chart');
      expect(mfaChart.labels).toEqual([
        'Authenticator app (TOTP)',
        'Passkey (WebAuthn)',
        'Recovery codes',
        'Any second factor (TOTP or passkey)',
      ]);
      expect(mfaChart.datasets[0].data).toEqual(mfa.rows.map((r: MfaRow) => Number(((r.share ?? 0) * 100).toFixed(1))));
      const mfaTable = await page.$$eval('#mfa-table tbody tr', (trs) =>
        trs.map((tr) => [(tr as HTMLElement).dataset['factor'], ...Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)]),
      );
      expect(mfaTable).toEqual(mfa.rows.map((r: MfaRow) => [r.factor, String(r.users), percent(r.share)]));
      // Filled: the fixture's active users signed in within the range, and some enrolled.
      expect(mfa.activeUsers).toBeGreaterThan(0);
      for (const r of mfa.rows as MfaRow[]) expect(r.users).toBeGreaterThan(0);
      expect(await page.textContent('#mfa-total')).toBe(
        `${mfa.activeUsers} active users · ${percent(mfa.rows[3].share)} with a second factor`,
      );
      expect(await page.textContent('#mfa-scope')).toContain('signed in since 2026-12-21');
      expect(await page.getAttribute('#mfa-table', 'aria-label')).toContain('second-factor');

      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = join(SCREENSHOT_DIR, 'admin-dashboard.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(10_000);
    });
  });
});

describe("the dashboard's sign-in forwarder (AuthLoginProxy)", () => {
  // Issue 12: auth-api counts failed logins per client address; the forwarder must pass the
  // admin's address on (X-Forwarded-For), or every admin's sign-in would count as the forwarder's.
  // auth-api believes the header only from a peer in its TRUST_PROXY (apps/auth-api/test/lockout.e2e.spec.ts).
  it('sends the client address in X-Forwarded-For, and none when it has none', async () => {
    const seen: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      seen.push(req.headers['x-forwarded-for'] as string | undefined);
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: 'Invalid email or password', code: 'invalid_credentials' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const proxy = new AuthLoginProxy({
        AUTH_PUBLIC_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      } as AdminAnalyticsConfig);
      const credentials = { email: 'admin@example.com', password: 'not the password' };
      expect(await proxy.login(credentials, '203.0.113.9')).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
      await proxy.login(credentials);
      expect(seen).toEqual(['203.0.113.9', undefined]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
