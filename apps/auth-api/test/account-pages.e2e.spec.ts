import type { INestApplication } from '@nestjs/common';
import { ConnectionRole, connectionToken } from '@directory/connections';
import {
  createTestApp,
  dropTestDatabase,
  startSmtpCatcher,
  testDatabase,
  testEnv,
  type CaughtMail,
  type SmtpCatcher,
  browserTests,
  MISSING_CHROMIUM,
  freePort,
  launchChromium,
  openOfflinePage,
  SCREENSHOT_DIR,
} from '@directory/testing';
import { Types, type Connection } from 'mongoose';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { ACCOUNT_PAGES } from '../src/app/account-pages/account-page-files';
import { AccountPage } from '../src/app/mail/compose/account-links';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../src/app/passwords/password-policy';
import { authApiModule, HTTP_OPTIONS } from '../src/in-process';
import { newUser, STRONG_PASSWORD, TEST_AUTH_ENV } from './support/auth-test-app';

const { chromiumPath, browserIt } = browserTests('account pages');

const NEW_PASSWORD = 'a brand new passphrase 2026';

describe('auth-api /account pages: the pages links in mail open', () => {
  const { dbName } = testDatabase();
  let smtp: SmtpCatcher;
  let app: INestApplication;
  let connection: Connection;
  let baseUrl: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    const port = await freePort();
    baseUrl = `http://localhost:${port}`; // WebAuthn's RP ID (derived from PUBLIC_URL) must be a domain
    app = await createTestApp(
      authApiModule(testEnv(dbName, { ...TEST_AUTH_ENV, SMTP_URL: smtp.url, OUTBOX_POLL_MS: '50', PUBLIC_URL: baseUrl })),
      HTTP_OPTIONS,
    );
    await app.listen(port, '127.0.0.1');
    connection = app.get<Connection>(connectionToken(ConnectionRole.Fast));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (connection?.readyState === 1) await dropTestDatabase(connection, dbName);
    await app?.close();
    await smtp?.close();
  });

  describe('over HTTP', () => {
    it('serves every page with a strict CSP, no Referer, no framing, no caching', async () => {
      for (const name of ACCOUNT_PAGES) {
        const res = await request(app.getHttpServer()).get(`/account/${name}`).expect(200);
        expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
        const csp = String(res.headers['content-security-policy']);
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toContain('unsafe-inline');
        expect(csp).not.toContain('unsafe-eval');
        expect(res.headers).toMatchObject({
          'referrer-policy': 'no-referrer',
          'x-frame-options': 'DENY',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        expect(res.text).toContain(`data-page="${name}"`);
      }
    });

    it('has no inline script or style, loads nothing from elsewhere, and states the real password minimum', async () => {
      for (const name of ACCOUNT_PAGES) {
        const html = (await request(app.getHttpServer()).get(`/account/${name}`).expect(200)).text;
        const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
        expect(scripts).toEqual(['<script src="/account/assets/account.js" defer></script>']);
        expect(html).not.toMatch(/\son[a-z]+\s*=/i);
        expect(html).not.toMatch(/\sstyle\s*=|<style\b/i);
        expect(html).not.toMatch(/javascript:/i);
        expect(html).not.toMatch(/https?:\/\//);
        expect(html).not.toContain('{{');
        if (name === 'reset-password' || name === 'accept-invitation') expect(html).toContain(`At least ${PASSWORD_MIN_LENGTH} characters`);
      }
    });

    it('serves a page for every link the mail composer builds', async () => {
      for (const page of Object.values(AccountPage)) {
        await request(app.getHttpServer()).get(`/account/${page}`).expect(200);
      }
    });

    it('serves its script and stylesheet, nothing else, and 404s unknown pages with a code', async () => {
      const js = await request(app.getHttpServer()).get('/account/assets/account.js').expect(200);
      expect(js.headers['content-type']).toMatch(/^text\/javascript/);
      expect(js.text).toContain('history.replaceState');
      expect(js.text).not.toMatch(/https?:\/\//);
      const css = await request(app.getHttpServer()).get('/account/assets/account.css').expect(200);
      expect(css.headers['content-type']).toMatch(/^text\/css/);
      expect((await request(app.getHttpServer()).get('/account/no-such-page').expect(404)).body.code).toBe('not_found');
      await request(app.getHttpServer()).get('/account/assets/verify-email.html').expect(404);
      await request(app.getHttpServer()).get('/account/assets/..%2F..%2Fmain.js').expect(404);
      await request(app.getHttpServer()).get('/account/__proto__').expect(404);
    });

    it('keeps the pages out of the OpenAPI document (the endpoints they call are in it)', async () => {
      const doc = (await request(app.getHttpServer()).get('/docs/openapi.json').expect(200)).body as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths).filter((path) => path.startsWith('/account'))).toEqual([]);
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/auth/email/verify', '/auth/password/reset']));
    });
  });

  describe('in Chromium, following the links in real mail', () => {
    let page: Page;
    /** Every URL and Referer the page sent: the token must be in none of them. */
    let sent: Array<{ url: string; referer: string | undefined }>;
    let outside: string[];

    beforeAll(async () => {
      if (!chromiumPath) return;
      browser = await launchChromium(chromiumPath);
    }, 60_000);

    beforeEach(async () => {
      if (!browser) throw new Error(MISSING_CHROMIUM);
      sent = [];
      ({ page, outside } = await openOfflinePage(browser, baseUrl, { width: 800, height: 600 }, (req) =>
        sent.push({ url: req.url(), referer: req.headers()['referer'] }),
      ));
    });

    afterEach(async () => {
      await page?.close();
      expect(outside).toEqual([]);
    });

    async function shot(name: string): Promise<void> {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = join(SCREENSHOT_DIR, `account-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(5_000);
    }

    async function settled(state: string): Promise<{ code: string | null; text: string }> {
      await page.waitForSelector(`body[data-state="${state}"]`);
      return { code: await page.getAttribute('#message', 'data-code'), text: (await page.textContent('#message')) ?? '' };
    }

    const linkTo = (mail: CaughtMail, pageName: string): string => {
      const link = mail.links.find((l) => l.startsWith(`${baseUrl}/account/${pageName}#token=`));
      if (!link) throw new Error(`no ${pageName} link in mail "${mail.subject}": ${mail.links.join(' ')}`);
      return link;
    };

    /** The token left the browser in no URL and no Referer (it went in a POST body only). */
    function expectTokenNeverSent(link: string): void {
      const token = decodeURIComponent(link.split('#token=')[1]);
      expect(sent.length).toBeGreaterThan(0);
      for (const { url, referer } of sent) {
        expect(url).not.toContain(token);
        expect(referer ?? '').not.toContain(token);
      }
    }

    browserIt('register → the verification mail → its link verifies the address; opened again, it says the link was used', async () => {
      const user = newUser();
      const email = user.email.toLowerCase();
      const registered = await request(app.getHttpServer()).post('/auth/register').send(user).expect(201);
      const mail = await smtp.waitForMail((m) => m.to === email && m.links.some((l) => l.includes('/account/verify-email#token=')));
      const link = linkTo(mail, 'verify-email');

      await page.goto(link);
      const done = await settled('done');
      expect(done).toEqual({ code: 'ok', text: 'Your email address is verified. You can close this page.' });
      // The fragment is gone from the address bar (and from this history entry).
      expect(page.url()).toBe(`${baseUrl}/account/verify-email`);
      expectTokenNeverSent(link);
      const stored = await connection.collection('users').findOne({ email });
      expect(stored?.['emailVerifiedAt']).toBeInstanceOf(Date);
      expect(String(stored?.['_id'])).toBe(registered.body.user.id);
      await shot('verify-email-done');

      await page.goto(link);
      const used = await settled('failed');
      expect(used.code).toBe('token_used');
      expect(used.text).toBe(
        'This link has already been used: each link works once. If you opened it before, your address is already verified.',
      );
      await shot('verify-email-used');
    });

    browserIt('forgot-password page → the reset mail → its link: a new password, then login with it over HTTP', async () => {
      const user = newUser();
      const email = user.email.toLowerCase();
      await request(app.getHttpServer()).post('/auth/register').send(user).expect(201);
      const before = smtp.messages.length;

      await page.goto(`${baseUrl}/account/forgot-password`);
      await page.waitForSelector('body[data-state="form"]');
      await page.fill('#email', email);
      await page.click('#forgot-form button[type=submit]');
      const asked = await settled('done');
      expect(asked.code).toBe('ok');
      expect(asked.text).toContain('If an account uses this address');
      await shot('forgot-password-sent');

      const mail = await smtp.waitForMail(
        (m) => m.to === email && smtp.messages.indexOf(m) >= before && m.links.some((l) => l.includes('/account/reset-password#token=')),
      );
      const link = linkTo(mail, 'reset-password');
      await page.goto(link);
      await page.waitForSelector('body[data-state="form"]');
      expect(page.url()).toBe(`${baseUrl}/account/reset-password`);
      await shot('reset-password-form');

      // Typed differently twice: caught on the page, nothing sent.
      const posts = () => sent.filter((s) => s.url.endsWith('/auth/password/reset')).length;
      await page.fill('#password', NEW_PASSWORD);
      await page.fill('#confirm', `${NEW_PASSWORD}!`);
      await page.click('#password-form button[type=submit]');
      await page.waitForSelector('#message[data-code="password_mismatch"]');
      expect(posts()).toBe(0);

      // Too short: the API's policy answers, the page says why, and the form stays (the link is not spent).
      await page.fill('#password', 'short');
      await page.fill('#confirm', 'short');
      await page.click('#password-form button[type=submit]');
      await page.waitForSelector('#message[data-code="weak_password"]');
      expect(await page.textContent('#message')).toContain(
        `Choose a stronger password: password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
      );
      expect(await page.getAttribute('body', 'data-state')).toBe('form');
      await shot('reset-password-weak');

      await page.fill('#password', NEW_PASSWORD);
      await page.fill('#confirm', NEW_PASSWORD);
      await page.click('#password-form button[type=submit]');
      const done = await settled('done');
      expect(done.code).toBe('ok');
      expect(done.text).toContain('Your password is changed');
      expectTokenNeverSent(link);
      await shot('reset-password-done');

      await request(app.getHttpServer()).post('/auth/login').send({ email, password: NEW_PASSWORD }).expect(200);
      await request(app.getHttpServer()).post('/auth/login').send({ email, password: STRONG_PASSWORD }).expect(401);

      // The same link again: refused with the used-link sentence, and a way to ask for a new one.
      await page.goto(link);
      await page.waitForSelector('body[data-state="form"]');
      await page.fill('#password', 'yet another passphrase 99');
      await page.fill('#confirm', 'yet another passphrase 99');
      await page.click('#password-form button[type=submit]');
      const used = await settled('failed');
      expect(used.code).toBe('token_used');
      expect(used.text).toContain('This link has already been used');
      expect(await page.isVisible('a[href="/account/forgot-password"]')).toBe(true);
      expect(await page.isVisible('#password-form')).toBe(false);
      await shot('reset-password-used');
      await request(app.getHttpServer()).post('/auth/login').send({ email, password: NEW_PASSWORD }).expect(200);
    });

    /** What users-api writes for an invitation or an email change (it is another app): the outbox message, and the invited user. */
    async function queue(messages: Array<{ template: string; to: string; userId: Types.ObjectId; params: Record<string, unknown> }>) {
      const now = new Date();
      await connection
        .collection('outboxmessages')
        .insertMany(messages.map((m) => ({ ...m, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now })));
    }

    browserIt('an invitation mail → its link: a password twice, the account is active and signs in', async () => {
      const _id = new Types.ObjectId();
      const email = `invited-${Date.now()}@example.com`;
      const invitedAt = new Date();
      const User = connection.models['User'] ?? connection.model('User');
      await User.create({ _id, email, name: { first: 'Grace', last: 'Hopper' }, status: 'invited', invitedAt });
      await queue([{ template: 'invitation', to: email, userId: _id, params: { invitedAt } }]);
      const link = linkTo(await smtp.waitForMail((m) => m.to === email), 'accept-invitation');

      await page.goto(link);
      await page.waitForSelector('body[data-state="form"]');
      expect(page.url()).toBe(`${baseUrl}/account/accept-invitation`);
      await page.fill('#password', NEW_PASSWORD);
      await page.fill('#confirm', NEW_PASSWORD);
      await page.click('#password-form button[type=submit]');
      const done = await settled('done');
      expect(done).toEqual({ code: 'ok', text: `Welcome! Your account is active: sign in as ${email} with the password you chose.` });
      expectTokenNeverSent(link);
      await shot('accept-invitation-done');
      expect(await connection.collection('users').findOne({ _id })).toMatchObject({ status: 'active' });
      await request(app.getHttpServer()).post('/auth/login').send({ email, password: NEW_PASSWORD }).expect(200);
    });

    browserIt('an email-change mail → its link confirms the new address; taken meanwhile, the page says so', async () => {
      const user = newUser();
      const from = user.email.toLowerCase();
      const registered = await request(app.getHttpServer()).post('/auth/register').send(user).expect(201);
      const userId = new Types.ObjectId(registered.body.user.id as string);
      const to = `moved-${Date.now()}@example.com`;
      await queue([
        { template: 'email-change-confirmation', to, userId, params: { fromEmail: from } },
        { template: 'email-change-notice', to: from, userId, params: { fromEmail: from, toEmail: to } },
      ]);
      const link = linkTo(await smtp.waitForMail((m) => m.to === to), 'confirm-email-change');
      await page.goto(link);
      const done = await settled('done');
      expect(done.code).toBe('ok');
      expect(done.text).toContain('Your email address is changed');
      expectTokenNeverSent(link);
      await shot('confirm-email-change-done');
      expect(await connection.collection('users').findOne({ _id: userId })).toMatchObject({ email: to });

      // Another account takes the address while the second link travels: 409 email_taken, a sentence, nothing changes.
      const wanted = `wanted-${Date.now()}@example.com`;
      await queue([{ template: 'email-change-confirmation', to: wanted, userId, params: { fromEmail: to } }]);
      const second = linkTo(await smtp.waitForMail((m) => m.to === wanted), 'confirm-email-change');
      await request(app.getHttpServer())
        .post('/auth/register')
        .send(newUser({ email: wanted }))
        .expect(201);
      await page.goto(second);
      const taken = await settled('failed');
      expect(taken.code).toBe('email_taken');
      expect(taken.text).toContain('Another account now uses this address');
      await shot('confirm-email-change-taken');
      expect(await connection.collection('users').findOne({ _id: userId })).toMatchObject({ email: to });
    });

    browserIt('a link cut short or altered gets a sentence, not a broken page', async () => {
      await page.goto(`${baseUrl}/account/reset-password`);
      const missing = await settled('failed');
      expect(missing.code).toBe('token_missing');
      expect(missing.text).toContain('needs the whole link from your mail');

      await page.goto(`${baseUrl}/account/confirm-email-change#token=not-a-real-token`);
      const altered = await settled('failed');
      expect(altered.code).toBe('token_invalid');
      expect(altered.text).toContain('This link is not valid');
      expect(page.url()).toBe(`${baseUrl}/account/confirm-email-change`);
      await shot('confirm-email-change-invalid');

      await page.goto(`${baseUrl}/account/accept-invitation#token=not-a-real-token`);
      await page.waitForSelector('body[data-state="form"]');
      await shot('accept-invitation-form');
      await page.fill('#password', NEW_PASSWORD);
      await page.fill('#confirm', NEW_PASSWORD);
      await page.click('#password-form button[type=submit]');
      const invitation = await settled('failed');
      expect(invitation.code).toBe('token_invalid');
      expect(invitation.text).toContain('Ask whoever invited you');
    });
  });
});
