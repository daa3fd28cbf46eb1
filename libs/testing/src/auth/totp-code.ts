/**
 * An authenticator app for tests against the built auth-api: RFC 6238 codes computed here, TOTP
 * enrolment and a login with its second step over auth-api's HTTP API (users-api and admin-analytics tests).
 */
import { createHmac } from 'node:crypto';
import type { AuthApiHandle } from './start-auth-api';

const STEP_MS = 30_000;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  let bits = '';
  for (const char of text.replace(/=+$/, '').toUpperCase()) bits += BASE32.indexOf(char).toString(2).padStart(5, '0');
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((byte) => parseInt(byte, 2)));
}

/** RFC 6238 (HMAC-SHA-1, 6 digits, 30 s) written out: what an authenticator app computes from the otpauth:// secret. */
export function totpAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An authenticator app against the built auth-api, which runs on the real clock and accepts each
 * step once within ±1 step: every code comes from a step not used before, chosen well away from a
 * step boundary (waiting a few seconds when too close), so no request can fall outside the window.
 */
export class Authenticator {
  private readonly used = new Set<number>();

  constructor(readonly secret: string) {}

  async code(): Promise<string> {
    for (;;) {
      const into = Date.now() % STEP_MS;
      if (into > STEP_MS - 5_000) await sleep(STEP_MS - into + 100);
      const current = Math.floor(Date.now() / STEP_MS);
      const step = [current + 1, current, current - 1].find((candidate) => !this.used.has(candidate));
      if (step !== undefined) {
        this.used.add(step);
        return totpAt(this.secret, step);
      }
      await sleep(STEP_MS - (Date.now() % STEP_MS) + 100);
    }
  }
}

async function call(
  auth: AuthApiHandle,
  path: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${auth.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

function expectStatus(result: { status: number; body: unknown }, status: number, what: string): void {
  if (result.status !== status) throw new Error(`${what}: expected ${status}, got ${result.status} ${JSON.stringify(result.body)}`);
}

/** Enrols and confirms a TOTP factor over auth-api's HTTP API with `accessToken`; the app holding its secret. */
export async function enrolTotp(auth: AuthApiHandle, accessToken: string): Promise<Authenticator> {
  const enrolment = await call(auth, '/auth/factors/totp', { name: 'phone' }, accessToken);
  expectStatus(enrolment, 201, 'POST /auth/factors/totp');
  const app = new Authenticator(new URL(String(enrolment.body['otpauthUri'])).searchParams.get('secret') as string);
  const confirmed = await call(
    auth,
    `/auth/factors/totp/${String(enrolment.body['factorId'])}/confirm`,
    { code: await app.code() },
    accessToken,
  );
  expectStatus(confirmed, 204, 'confirm');
  return app;
}

/** Password, then (login answers mfaRequired) the code: the token pair of a login with a second factor. */
export async function loginWithTotp(
  auth: AuthApiHandle,
  user: { email: string; password: string },
  app: Authenticator,
): Promise<{ accessToken: string; refreshToken: string }> {
  const first = await call(auth, '/auth/login', { email: user.email, password: user.password });
  expectStatus(first, 200, 'POST /auth/login');
  if (first.body['mfaRequired'] !== true) throw new Error(`login did not ask for the second factor: ${JSON.stringify(first.body)}`);
  const verified = await call(auth, '/auth/mfa/verify', { challenge: first.body['challenge'], totp: await app.code() });
  expectStatus(verified, 200, 'POST /auth/mfa/verify');
  return { accessToken: String(verified.body['accessToken']), refreshToken: String(verified.body['refreshToken']) };
}

/** POST /auth/mfa/step-up with a fresh code: the session's next access token. */
export async function stepUpWithTotp(auth: AuthApiHandle, accessToken: string, app: Authenticator): Promise<string> {
  const stepped = await call(auth, '/auth/mfa/step-up', { totp: await app.code() }, accessToken);
  expectStatus(stepped, 200, 'POST /auth/mfa/step-up');
  return String(stepped.body['accessToken']);
}

/** POST /auth/refresh: the session's next access token. */
export async function refreshAccessToken(auth: AuthApiHandle, refreshToken: string): Promise<string> {
  const refreshed = await call(auth, '/auth/refresh', { refreshToken });
  expectStatus(refreshed, 200, 'POST /auth/refresh');
  return String(refreshed.body['accessToken']);
}
