import type { INestApplication } from '@nestjs/common';
import {
  browserTests,
  dropTestDatabase,
  enrolTotp,
  loginWithTotp,
  MISSING_CHROMIUM,
  launchChromium,
  openOfflinePage,
  SCREENSHOT_DIR,
  startAuthApi,
  testDatabase,
  testEnv,
  totpAt,
  type Authenticator,
  type AuthApiHandle,
  type RegisteredUser,
} from '@directory/testing';
import { mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { signInOnDashboard } from './support/dashboard-page';
import request from 'supertest';
import { AuthLoginProxy } from '../src/app/dashboard/auth-login-proxy';
import type { AdminAnalyticsConfig } from '../src/config';
import { startAnalyticsApp } from './support/analytics-app';

const { chromiumPath, browserIt } = browserTests('dashboard second factor');

/** A code the app would not show now: from a step far from the ±1-step window, and unlike the window's codes. */
function wrongCode(app: Authenticator): string {
  const now = Math.floor(Date.now() / 30_000);
  const window = [now - 1, now, now + 1].map((step) => totpAt(app.secret, step));
  for (let step = now + 100; ; step++) if (!window.includes(totpAt(app.secret, step))) return totpAt(app.secret, step);
}

/**
 * The dashboard's second sign-in step in real headless Chromium, with AUTH_REQUIRE_MFA_FOR_ADMINS
 * on in auth-api and here (production's default): an admin with TOTP signs in with password and
 * code (or a recovery code); a password-only admin is told to enrol a factor.
 */
describe('GET /dashboard: the second sign-in step (TOTP, recovery code) in headless Chromium', () => {
  const { dbName } = testDatabase();
  let auth: AuthApiHandle;
  let app: INestApplication;
  let baseUrl: string;
  let admin: RegisteredUser;
  let authenticator: Authenticator;
  let recoveryCodes: string[];
  let browser: Browser | undefined;

  beforeAll(async () => {
    auth = await startAuthApi(testEnv(dbName, { AUTH_REQUIRE_MFA_FOR_ADMINS: 'true' }));
    admin = await auth.registerAdmin();
    authenticator = await enrolTotp(auth, admin.accessToken);
    // New recovery codes need a factor within 5 minutes: a session that signed in with the code.
    const withFactor = await loginWithTotp(auth, admin, authenticator);
    const codes = await fetch(`${auth.url}/auth/factors/recovery-codes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${withFactor.accessToken}` },
    });
    expect(codes.status).toBe(201);
    recoveryCodes = ((await codes.json()) as { codes: string[] }).codes;
    app = await startAnalyticsApp(dbName, auth, { AUTH_REQUIRE_MFA_FOR_ADMINS: 'true' });
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

  describe('over HTTP (POST /dashboard/api/mfa)', () => {
    it("passes auth-api's refusals on: a used challenge (token_used), a wrong code (401), a malformed one (400)", async () => {
      const server = app.getHttpServer();
      const login = () => request(server).post('/dashboard/api/login').send({ email: admin.email, password: admin.password }).expect(200);
      const first = await login();
      expect(first.body).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery_code'] });

      const wrong = await request(server)
        .post('/dashboard/api/mfa')
        .send({ challenge: first.body.challenge, totp: wrongCode(authenticator) })
        .expect(401);
      expect(wrong.body.code).toBe('invalid_second_factor');
      expect(wrong.headers['cache-control']).toBe('no-store');
      await request(server).post('/dashboard/api/mfa').send({ challenge: first.body.challenge, totp: '12345' }).expect(400);
      const both = await request(server)
        .post('/dashboard/api/mfa')
        .send({ challenge: first.body.challenge, totp: '123456', recoveryCode: 'x' })
        .expect(400);
      expect(both.body.code).toBe('validation_failed');

      const second = await login();
      const ok = await request(server)
        .post('/dashboard/api/mfa')
        .send({ challenge: second.body.challenge, totp: await authenticator.code() })
        .expect(200);
      expect(Object.keys(ok.body).sort()).toEqual(['accessToken', 'expiresIn']);
      // The challenge is checked before the code: any code meets token_used.
      const again = await request(server)
        .post('/dashboard/api/mfa')
        .send({ challenge: second.body.challenge, totp: wrongCode(authenticator) })
        .expect(400);
      expect(again.body.code).toBe('token_used');
      const madeUp = await request(server).post('/dashboard/api/mfa').send({ challenge: 'not-a-challenge', totp: '123456' }).expect(400);
      expect(madeUp.body.code).toMatch(/^token_/);
    });

    it("is in the OpenAPI document: login's two answers, the second step's body, answers and refusals", async () => {
      const doc = (await request(app.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
      expect(JSON.stringify(doc.paths['/dashboard/api/login'].post.responses['200'])).toContain('DashboardMfaChallengeDto');
      const operation = doc.paths['/dashboard/api/mfa'].post;
      expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '429', '503']);
      expect(operation['x-refusals'].map((r: { status: number; code: string }) => `${r.status} ${r.code}`)).toEqual(
        expect.arrayContaining(['400 token_expired', '400 token_used', '400 validation_failed', '401 invalid_second_factor']),
      );
      const body = doc.components.schemas.DashboardMfaDto;
      expect(body).toMatchObject({ required: ['challenge'], additionalProperties: false });
      expect(Object.keys(body.properties).sort()).toEqual(['challenge', 'recoveryCode', 'totp']);
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
      const opened = await openOfflinePage(browser, baseUrl, { width: 1000, height: 720 });
      page = opened.page;
      page.on('close', () => expect(opened.outside).toEqual([]));
    });

    afterEach(async () => {
      await page?.close();
    });

    const signIn = (email: string, password: string) => signInOnDashboard(page, baseUrl, email, password);

    const focusedId = () => page.evaluate(() => document.activeElement?.id);

    browserIt('password → second step → a wrong code is refused and announced → the right code → the charts load', async () => {
      await signIn(admin.email, admin.password);
      await page.waitForSelector('body[data-state="second-factor"]');
      expect(await page.isVisible('#sign-in')).toBe(false);
      expect(await page.isVisible('#dashboard')).toBe(false);
      // Labelled, focused, and only the listed methods: no passkey line for an account without one.
      expect(await focusedId()).toBe('totp');
      expect(await page.getByLabel('Code from your authenticator app').getAttribute('id')).toBe('totp');
      expect(await page.getAttribute('#totp', 'autocomplete')).toBe('one-time-code');
      expect(await page.isVisible('#use-recovery')).toBe(true);
      expect(await page.isVisible('#passkey-note')).toBe(false);
      expect(await page.inputValue('#password')).toBe('');

      await page.fill('#totp', wrongCode(authenticator));
      await page.click('#second-factor button[type=submit]');
      await page.waitForSelector('#message:not([hidden])');
      expect(await page.getAttribute('#message', 'role')).toBe('alert');
      expect(await page.textContent('#message')).toContain('That code is not right');
      expect(await page.getAttribute('#totp', 'aria-invalid')).toBe('true');
      expect(await focusedId()).toBe('totp');
      expect(await page.getAttribute('body', 'data-state')).toBe('second-factor');

      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = join(SCREENSHOT_DIR, 'dashboard-second-factor.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(10_000);

      await page.fill('#totp', await authenticator.code());
      await page.click('#second-factor button[type=submit]');
      await page.waitForSelector('body[data-state="ready"]');
      expect(await page.isVisible('#second-factor')).toBe(false);
      expect(await page.isVisible('#signups-chart')).toBe(true);
      expect(await page.textContent('#signups-total')).toMatch(/^total \d+$/);
      expect(await page.textContent('#mfa-total')).toContain('with a second factor');
      expect(await page.isHidden('#message')).toBe(true);
    });

    browserIt('"use a recovery code instead": the recovery code signs in once', async () => {
      await signIn(admin.email, admin.password);
      await page.waitForSelector('body[data-state="second-factor"]');
      await page.click('#use-recovery');
      expect(await focusedId()).toBe('recovery-code');
      expect(await page.isVisible('#totp')).toBe(false);
      expect(await page.getByLabel('Recovery code').getAttribute('id')).toBe('recovery-code');
      expect(await page.isVisible('#use-totp')).toBe(true);
      await page.fill('#recovery-code', recoveryCodes[0]);
      await page.click('#second-factor button[type=submit]');
      await page.waitForSelector('body[data-state="ready"]');

      // Used: the next sign-in with the same code is refused, on the same step.
      await page.click('#sign-out');
      await page.fill('#email', admin.email);
      await page.fill('#password', admin.password);
      await page.click('#sign-in button[type=submit]');
      await page.waitForSelector('body[data-state="second-factor"]');
      await page.click('#use-recovery');
      await page.fill('#recovery-code', recoveryCodes[0]);
      await page.click('#second-factor button[type=submit]');
      await page.waitForSelector('#message:not([hidden])');
      expect(await page.textContent('#message')).toContain('That recovery code is not right, or it was used already');
      expect(await page.getAttribute('body', 'data-state')).toBe('second-factor');
    });

    browserIt('wrong codes up to the lockout: the page says when to try again (Retry-After passed on)', async () => {
      const locked = await auth.registerAdmin();
      const lockedApp = await enrolTotp(auth, locked.accessToken);
      await signIn(locked.email, locked.password);
      await page.waitForSelector('body[data-state="second-factor"]');
      // AUTH_LOCKOUT_THRESHOLD (5) wrong codes; the one after meets the lockout.
      const messages: string[] = [];
      for (let attempt = 0; attempt < 6; attempt++) {
        await page.fill('#totp', wrongCode(lockedApp));
        await page.click('#second-factor button[type=submit]');
        await page.waitForFunction((count) => document.body.dataset['attempts'] === String(count), attempt + 1);
        messages.push((await page.textContent('#message')) ?? '');
      }
      expect(messages[0]).toContain('That code is not right');
      expect(messages[5]).toMatch(/^Too many attempts; try again in \d+ seconds\.$/);
      expect(await focusedId()).toBe('totp');
    });

    browserIt("shows only the methods the answer lists: a passkey's line, a recovery code alone", async () => {
      // The page's side only: answers auth-api gives for accounts with a passkey (whose enrolment needs an authenticator device).
      const answers = [
        { mfaRequired: true, challenge: 'c1', methods: ['totp', 'webauthn', 'recovery_code'], expiresIn: 300 },
        { mfaRequired: true, challenge: 'c2', methods: ['webauthn', 'recovery_code'], expiresIn: 300 },
      ];
      await page.route(`${baseUrl}/dashboard/api/login`, (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answers.shift()) }),
      );
      await signIn(admin.email, admin.password);
      await page.waitForSelector('body[data-state="second-factor"]');
      expect(await page.textContent('#passkey-note')).toContain('Passkeys are not supported on the dashboard yet');
      expect(await page.isVisible('#passkey-note')).toBe(true);
      expect(await focusedId()).toBe('totp');

      await page.click('#start-over');
      expect(await page.getAttribute('body', 'data-state')).toBe('signed-out');
      expect(await focusedId()).toBe('password');
      await page.fill('#password', admin.password);
      await page.click('#sign-in button[type=submit]');
      await page.waitForSelector('body[data-state="second-factor"]');
      expect(await page.isVisible('#passkey-note')).toBe(true);
      expect(await page.isVisible('#totp')).toBe(false);
      expect(await page.isVisible('#use-totp')).toBe(false);
      expect(await page.isVisible('#use-recovery')).toBe(false);
      expect(await focusedId()).toBe('recovery-code');
    });

    browserIt('a password-only admin is signed in but told, clearly, to enrol a second factor', async () => {
      const passwordOnly = await auth.registerAdmin();
      await signIn(passwordOnly.email, passwordOnly.password);
      await page.waitForSelector('body[data-state="forbidden"]');
      const message = await page.textContent('#message');
      expect(message).toContain('second factor');
      expect(message).toContain('enrol');
      expect(await page.isVisible('#dashboard')).toBe(false);
      expect(await page.isVisible('#second-factor')).toBe(false);
    });
  });
});

describe("the dashboard's second-step forwarder (AuthLoginProxy.verify)", () => {
  // Like the password: auth-api's lockout counts each admin's address, not this forwarder's.
  it("posts the challenge and the code to /auth/mfa/verify with the admin's address, and passes a 429 on with its Retry-After", async () => {
    const seen: Array<{ url?: string; forwardedFor?: string; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ url: req.url, forwardedFor: req.headers['x-forwarded-for'] as string | undefined, body });
        res
          .writeHead(429, { 'content-type': 'application/json', 'retry-after': '60' })
          .end(JSON.stringify({ message: 'Too many failed attempts', code: 'rate_limited' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const proxy = new AuthLoginProxy({
        AUTH_PUBLIC_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      } as AdminAnalyticsConfig);
      expect(await proxy.verify({ challenge: 'c', recoveryCode: 'abcd-efgh-2345' }, '203.0.113.9')).toEqual({
        status: 429,
        body: { message: 'Too many failed attempts', code: 'rate_limited' },
        retryAfter: '60',
      });
      expect(seen).toEqual([
        { url: '/auth/mfa/verify', forwardedFor: '203.0.113.9', body: '{"challenge":"c","recoveryCode":"abcd-efgh-2345"}' },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("the dashboard's sign-in forwarder with an account whose only factor is a passkey", () => {
  it('answers 403 mfa_required saying passkeys are not supported here, and never hands the page the challenge', async () => {
    const server = createServer((req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ mfaRequired: true, challenge: 'c', methods: ['webauthn'], expiresIn: 300 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const proxy = new AuthLoginProxy({
        AUTH_PUBLIC_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      } as AdminAnalyticsConfig);
      const answer = await proxy.login({ email: 'admin@example.com', password: 'the password' });
      expect(answer).toEqual({ status: 403, body: { code: 'mfa_required', message: expect.stringContaining('passkey') } });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
