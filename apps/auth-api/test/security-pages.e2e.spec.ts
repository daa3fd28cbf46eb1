import type { INestApplication } from '@nestjs/common';
import { ConnectionRole, connectionToken } from '@directory/connections';
import {
  browserTests,
  createTestApp,
  dropTestDatabase,
  MISSING_CHROMIUM,
  freePort,
  launchChromium,
  openOfflinePage,
  SCREENSHOT_DIR,
  testDatabase,
  testEnv,
} from '@directory/testing';
import type { Connection } from 'mongoose';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type CDPSession, type Page } from 'playwright-core';
import request from 'supertest';
import { SECURITY_PAGES, WEBAUTHN_BROWSER_ASSET, WEBAUTHN_BROWSER_BUNDLE } from '../src/app/account-pages/account-page-files';
import { ACCOUNT_PAGE_HEADERS } from '../src/app/account-pages/account-pages.controller';
import { totpCode } from '../src/app/factors/totp';
import { authApiModule, HTTP_OPTIONS } from '../src/in-process';
import { newUser, TEST_AUTH_ENV } from './support/auth-test-app';
import { FakeClock } from './support/fake-clock';

const { chromiumPath, browserIt } = browserTests('security pages');

const STEP_MS = 30_000;
/** Past the step-up window (a second factor within 5 minutes). */
const STALE_MS = 5 * 60_000 + 1_000;

/**
 * The sign-in and security pages (issue 14) in Chromium: password and second-factor sign-in,
 * TOTP enrolment from the QR page, recovery codes, step-up asked for in place, and passkeys —
 * registered, used passwordless and as a second factor — with Chrome's virtual authenticator
 * (DevTools protocol WebAuthn domain: ctap2, resident keys, user verification).
 */
describe('auth-api /account/sign-in and /account/security', () => {
  const { dbName } = testDatabase();
  let app: INestApplication;
  let connection: Connection;
  let clock: FakeClock;
  let baseUrl: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const port = await freePort();
    // WebAuthn refuses IP addresses as RP ID: the pages are opened at localhost.
    baseUrl = `http://localhost:${port}`;
    clock = new FakeClock();
    app = await createTestApp(authApiModule(testEnv(dbName, { ...TEST_AUTH_ENV, PUBLIC_URL: baseUrl }), { clock }), HTTP_OPTIONS);
    await app.listen(port, '127.0.0.1');
    connection = app.get<Connection>(connectionToken(ConnectionRole.Fast));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (connection?.readyState === 1) await dropTestDatabase(connection, dbName);
    await app?.close();
  });

  describe('over HTTP', () => {
    it('serves both addresses as one document with the account pages’ strict headers, its scripts from this origin only', async () => {
      const bodies: string[] = [];
      for (const name of SECURITY_PAGES) {
        const res = await request(app.getHttpServer()).get(`/account/${name}`).expect(200);
        expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
        for (const [header, value] of Object.entries(ACCOUNT_PAGE_HEADERS)) expect(res.headers[header.toLowerCase()]).toBe(value);
        const csp = String(res.headers['content-security-policy']);
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|data:|blob:/);
        const html = res.text;
        expect(html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g)).toEqual([
          `<script src="/account/assets/${WEBAUTHN_BROWSER_ASSET}" defer></script>`,
          '<script src="/account/assets/security.js" defer></script>',
        ]);
        expect(html).not.toMatch(/\son[a-z]+\s*=/i);
        expect(html).not.toMatch(/\sstyle\s*=|<style\b/i);
        expect(html).not.toMatch(/javascript:|https?:\/\//i);
        expect(html).toContain('reloading or closing it signs you out');
        bodies.push(html);
      }
      expect(bodies[1]).toBe(bodies[0]);
    });

    it('serves the WebAuthn helper (the @simplewebauthn/browser bundle) and the page script like the other assets', async () => {
      const bundle = readFileSync(join(__dirname, '..', '..', '..', WEBAUTHN_BROWSER_BUNDLE.dir, WEBAUTHN_BROWSER_BUNDLE.file), 'utf8');
      const vendor = await request(app.getHttpServer()).get(`/account/assets/${WEBAUTHN_BROWSER_ASSET}`).expect(200);
      expect(vendor.headers['content-type']).toMatch(/^text\/javascript/);
      expect(vendor.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
      expect(vendor.text).toBe(bundle);
      expect(vendor.text).toContain('SimpleWebAuthnBrowser');

      const script = await request(app.getHttpServer()).get('/account/assets/security.js').expect(200);
      expect(script.headers['content-type']).toMatch(/^text\/javascript/);
      expect(script.headers['x-content-type-options']).toBe('nosniff');
      // Tokens in the page's memory only; nothing loaded from elsewhere; no markup inserted as HTML.
      expect(script.text).not.toMatch(/localStorage|sessionStorage|document\.cookie|innerHTML|outerHTML|insertAdjacentHTML|https?:\/\//);
      const css = await request(app.getHttpServer()).get('/account/assets/security.css').expect(200);
      expect(css.headers['content-type']).toMatch(/^text\/css/);
      await request(app.getHttpServer()).get('/account/assets/index.umd.min.js').expect(404);
      await request(app.getHttpServer()).get('/account/assets/vendor%2Findex.umd.min.js').expect(404);
    });
  });

  describe('in Chromium', () => {
    let page: Page;
    let outside: string[];

    beforeAll(async () => {
      if (!chromiumPath) return;
      browser = await launchChromium(chromiumPath);
    }, 60_000);

    beforeEach(async () => {
      if (!browser) throw new Error(MISSING_CHROMIUM);
      ({ page, outside } = await openOfflinePage(browser, baseUrl, { width: 800, height: 900 }));
      page.on('pageerror', (error) => outside.push(`page error: ${error.message}`));
    });

    afterEach(async () => {
      await page?.close();
      expect(outside).toEqual([]);
    });

    async function shot(name: string): Promise<void> {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(5_000);
    }

    /** Waits for the page's message with this code and returns its text. */
    async function message(code: string): Promise<string> {
      await page.waitForSelector(`#message[data-code="${code}"]`);
      return (await page.textContent('#message')) ?? '';
    }

    /** Waits for a view; if it never comes, fails with what the page said instead. */
    async function view(name: string): Promise<void> {
      try {
        await page.waitForSelector(`body[data-view="${name}"]`, { timeout: 10_000 });
      } catch (error) {
        const said = [
          await page.getAttribute('body', 'data-view'),
          await page.getAttribute('#message', 'data-code'),
          await page.textContent('#message'),
        ];
        throw new Error(`view ${name} never came; the page shows ${JSON.stringify(said)}: ${String(error)}`);
      }
    }

    async function registered(): Promise<{ email: string; password: string }> {
      const user = newUser();
      await request(app.getHttpServer()).post('/auth/register').send(user).expect(201);
      return { email: user.email.toLowerCase(), password: user.password };
    }

    async function signInWithPassword(user: { email: string; password: string }): Promise<void> {
      await page.goto(`${baseUrl}/account/sign-in`);
      await view('sign-in');
      await page.fill('#email', user.email);
      await page.fill('#password', user.password);
      await page.click('#password-form button[type=submit]');
    }

    async function signOut(): Promise<void> {
      const loggedOut = page.waitForResponse((res) => res.url() === `${baseUrl}/auth/logout`);
      await page.click('#sign-out');
      expect((await loggedOut).status()).toBe(204);
      await view('sign-in');
      expect(await message('signed_out')).toBe('You are signed out.');
      expect(page.url()).toBe(`${baseUrl}/account/sign-in`);
    }

    const factorItem = (type: string, status = 'active') => `#factor-list li[data-type="${type}"][data-status="${status}"]`;

    /** Enrols an authenticator app through the page; its seed, read from the otpauth:// URI the page shows. */
    async function enrolTotp(screenshot?: string): Promise<string> {
      await page.click('#totp-start-form button[type=submit]');
      await page.waitForSelector('#totp-enrol:not([hidden]) #totp-qr svg path');
      const uri = (await page.textContent('#totp-uri')) ?? '';
      expect(uri).toMatch(/^otpauth:\/\/totp\//);
      const seed = new URL(uri).searchParams.get('secret') ?? '';
      expect(seed).toMatch(/^[A-Z2-7]{32}$/);
      // The key for typing by hand is the same seed, in groups of four.
      expect(((await page.textContent('#totp-key')) ?? '').replace(/\s/g, '')).toBe(seed);
      const qr = await page.$eval('#totp-qr svg', (svg) => svg.getBoundingClientRect().width);
      expect(qr).toBeGreaterThan(100);
      if (screenshot) await shot(screenshot);
      await page.fill('#totp-code', await totpCode(seed, clock.now()));
      await page.click('#totp-confirm-form button[type=submit]');
      expect(await message('totp_added')).toContain('Your authenticator app is set up');
      await page.waitForSelector(factorItem('totp'));
      expect(await page.isVisible('#totp-enrol')).toBe(false);
      // That code's step is spent: the test's next code comes from the next step.
      clock.advance(STEP_MS);
      return seed;
    }

    /** A six-digit code valid in no step of the ±1 window. */
    async function wrongCode(seed: string): Promise<string> {
      const valid = await Promise.all([-1, 0, 1].map((step) => totpCode(seed, new Date(clock.now().getTime() + step * STEP_MS))));
      let guess = 123456;
      while (valid.includes(String(guess))) guess += 1;
      return String(guess);
    }

    /** Password, then the app's code: a wrong one is refused in place, the right one signs in. */
    async function signInWithTotp(user: { email: string; password: string }, seed: string): Promise<void> {
      await signInWithPassword(user);
      await view('second-factor');
      expect(await page.isVisible('#mfa-totp')).toBe(true);
      // Only the methods the login answered: no recovery codes exist yet.
      expect(await page.isVisible('#mfa-use-recovery')).toBe(false);
      await page.fill('#mfa-totp', await wrongCode(seed));
      await page.click('#mfa-totp-form button[type=submit]');
      expect(await message('invalid_second_factor')).toContain('That was not accepted');
      await page.fill('#mfa-totp', await totpCode(seed, clock.now()));
      await page.click('#mfa-totp-form button[type=submit]');
      await view('security');
      await page.waitForSelector(factorItem('totp'));
      clock.advance(STEP_MS);
    }

    browserIt(
      'password sign-in → enrol an authenticator app from its QR code → password + TOTP → recovery codes after step-up → password + recovery code → remove the app after step-up with another',
      async () => {
        const user = await registered();
        await signInWithPassword(user);
        await view('security');
        expect(page.url()).toBe(`${baseUrl}/account/security`);
        await page.waitForSelector(`#who:text-is("${user.email}")`);
        expect(await page.isVisible('#factors-empty')).toBe(true);

        const seed = await enrolTotp('security-totp-enrol');
        expect(await page.textContent(factorItem('totp'))).toContain('Authenticator app');
        await signOut();

        await signInWithTotp(user, seed);
        expect(await page.isVisible('#mfa-passkey')).toBe(false);
        expect(await page.textContent(factorItem('totp'))).not.toContain('last used never');

        // Five minutes on, new recovery codes want the factor again: asked for in place, then done.
        clock.advance(STALE_MS);
        await page.click('#recovery-generate');
        await page.waitForSelector('#step-up[open]');
        expect(await page.isVisible('#step-up-totp')).toBe(true);
        expect(await page.isVisible('#step-up-passkey')).toBe(false);
        await page.fill('#step-up-totp', await wrongCode(seed));
        await page.click('#step-up-totp-form button[type=submit]');
        await page.waitForSelector('#step-up-message[data-code="invalid_second_factor"]');
        await shot('security-step-up');
        await page.fill('#step-up-totp', await totpCode(seed, clock.now()));
        await page.click('#step-up-totp-form button[type=submit]');
        expect(await message('recovery_codes')).toContain('the old ones no longer work');
        expect(await page.isVisible('#step-up')).toBe(false);
        const codes = await page.$$eval('#recovery-list li', (items) => items.map((item) => item.textContent ?? ''));
        expect(codes).toHaveLength(10);
        expect(new Set(codes).size).toBe(10);
        expect(await page.textContent('#recovery-codes')).toContain('shown this once');
        await shot('security-recovery-codes');
        await page.click('#recovery-done');
        expect(await page.isVisible('#recovery-codes')).toBe(false);
        await page.waitForSelector('#recovery-state:text("10 of 10 codes unused")');
        await signOut();

        // Password, then a recovery code in place of the app.
        await signInWithPassword(user);
        await view('second-factor');
        expect(await page.isVisible('#mfa-recovery')).toBe(false);
        await page.click('#mfa-use-recovery');
        expect(await page.getAttribute('#mfa-use-recovery', 'aria-expanded')).toBe('true');
        await page.fill('#mfa-recovery', codes[1]);
        await page.click('#mfa-recovery-form button[type=submit]');
        await view('security');
        await page.waitForSelector('#recovery-state:text("9 of 10 codes unused")');

        // Five minutes on, removing the app asks for a factor again: another recovery code does it.
        clock.advance(STALE_MS);
        await page.click(`${factorItem('totp')} button`);
        expect(await message('confirm_removal')).toContain('Confirm removal');
        await page.click(`${factorItem('totp')} button:text("Confirm removal")`);
        await page.waitForSelector('#step-up[open]');
        await page.fill('#step-up-recovery', codes[0]);
        await page.click('#step-up-recovery-form button[type=submit]');
        expect(await message('factor_removed')).toContain('is removed');
        await page.waitForSelector('#factors-empty:not([hidden])');
        expect(await page.$$('#factor-list li')).toHaveLength(0);

        // No factor left: the password alone signs in again.
        const login = await request(app.getHttpServer()).post('/auth/login').send(user).expect(200);
        expect(login.body).toHaveProperty('accessToken');
      },
    );

    browserIt('cancelling step-up leaves everything as it was; /account/security opened directly asks to sign in first', async () => {
      const user = await registered();
      // The page's own clock, to move it past the access token's lifetime below.
      await page.clock.install();
      await page.goto(`${baseUrl}/account/security`);
      await view('sign-in');
      expect(await message('sign_in_first')).toContain('Sign in to manage');
      await page.fill('#email', user.email);
      await page.fill('#password', 'not the password at all');
      await page.click('#password-form button[type=submit]');
      expect(await message('invalid_credentials')).toBe('The email address or the password is wrong.');
      await shot('sign-in');
      await page.fill('#password', user.password);
      await page.click('#password-form button[type=submit]');
      await view('security');
      const seed = await enrolTotp();
      await signOut();
      await signInWithTotp(user, seed);

      // Five minutes on for the server (step-up due); past the access token's 15 minutes for the page,
      // which refreshes it before the call.
      clock.advance(STALE_MS);
      await page.clock.fastForward('16:00');
      const refreshed = page.waitForResponse((res) => res.url() === `${baseUrl}/auth/refresh`);
      await page.click('#recovery-generate');
      expect((await refreshed).status()).toBe(200);
      await page.waitForSelector('#step-up[open]');
      await page.click('#step-up-cancel');
      expect(await message('step_up_cancelled')).toBe('No new recovery codes were made.');
      expect(await page.isVisible('#recovery-codes')).toBe(false);
      expect(await page.textContent('#recovery-state')).toContain('No recovery codes yet');

      // A reload forgets the session: the page asks to sign in again.
      await page.reload();
      await view('sign-in');
      expect(await message('sign_in_first')).toContain('Sign in to manage');
    });
    describe('passkeys, with the virtual authenticator', () => {
      let cdp: CDPSession;
      let authenticatorId: string;

      beforeEach(async () => {
        cdp = await page.context().newCDPSession(page);
        await cdp.send('WebAuthn.enable');
        ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
          options: {
            protocol: 'ctap2',
            transport: 'internal',
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
          },
        }));
      });

      browserIt(
        'add a passkey on the page → sign out → passwordless sign-in → sign out → password + passkey as the second factor → step-up with the passkey',
        async () => {
          const user = await registered();
          await signInWithPassword(user);
          await view('security');

          await page.fill('#passkey-name', 'Work laptop');
          await page.click('#passkey-add-form button[type=submit]');
          expect(await message('passkey_added')).toContain('Your passkey "Work laptop" is added');
          const listed = await page.textContent(factorItem('webauthn'));
          expect(listed).toContain('Work laptop');
          expect(listed).toContain('Passkey');
          expect(listed).toMatch(/passkey \((backed up by its provider|not backed up)\)/);
          const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
          expect(credentials).toHaveLength(1);
          expect(credentials[0].isResidentCredential).toBe(true);

          // An authenticator app next to it, for the list (and the second step's choice).
          await enrolTotp();
          expect(await page.$$('#factor-list li')).toHaveLength(2);
          // A password-only session (no factor when it began) needs no step-up for the first recovery codes.
          await page.click('#recovery-generate');
          expect(await message('recovery_codes')).toContain('the old ones no longer work');
          await page.click('#recovery-done');
          await page.waitForSelector('#recovery-state:text("10 of 10 codes unused")');
          await shot('security-factors');
          await signOut();

          // Passwordless: no email, no password, the discoverable credential names the account.
          await page.click('#passkey-sign-in');
          await view('security');
          await page.waitForSelector('#who:text-is("' + user.email + '")');
          expect(await page.textContent(factorItem('webauthn'))).not.toContain('last used never');
          await signOut();

          // Password first, then the passkey as the second factor.
          await signInWithPassword(user);
          await view('second-factor');
          expect(await page.isVisible('#mfa-passkey')).toBe(true);
          expect(await page.isVisible('#mfa-totp')).toBe(true);
          expect(await page.isVisible('#mfa-use-recovery')).toBe(true);
          await shot('sign-in-second-factor');
          await page.click('#mfa-passkey');
          await view('security');
          await page.waitForSelector(factorItem('webauthn'));

          // Five minutes on, removing the app asks for a factor: the passkey answers the step-up.
          clock.advance(STALE_MS);
          await page.click(`${factorItem('totp')} button`);
          await page.click(`${factorItem('totp')} button:text("Confirm removal")`);
          await page.waitForSelector('#step-up[open]');
          expect(await page.isVisible('#step-up-passkey')).toBe(true);
          await page.click('#step-up-passkey');
          expect(await message('factor_removed')).toContain('is removed');
          await page.waitForSelector(factorItem('totp'), { state: 'detached' });
          expect(await page.$$('#factor-list li')).toHaveLength(1);
          const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
          expect(after.credentials).toHaveLength(1);
        },
      );

      browserIt('a passkey the site does not know, or none at all: a sentence, still signed out', async () => {
        await page.goto(`${baseUrl}/account/sign-in`);
        await view('sign-in');
        // An authenticator without credentials: the browser refuses, the page says so.
        await page.click('#passkey-sign-in');
        expect(await message('passkey_cancelled')).toBe('The passkey request was cancelled or timed out.');

        // A passkey the authenticator still holds but the account removed (a password-only session needs no step-up).
        const user = await registered();
        await signInWithPassword(user);
        await view('security');
        await page.click('#passkey-add-form button[type=submit]');
        await message('passkey_added');
        await page.click(`${factorItem('webauthn')} button`);
        await page.click(`${factorItem('webauthn')} button:text("Confirm removal")`);
        await message('factor_removed');
        await signOut();
        expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(1);
        await page.click('#passkey-sign-in');
        expect(await message('passkey_invalid')).toContain('This passkey was not accepted');
        expect(await page.getAttribute('body', 'data-view')).toBe('sign-in');
      });
    });
  });
});
