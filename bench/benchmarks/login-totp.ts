import { loadavg } from 'node:os';
import { startSmtpCatcher } from '@directory/testing/smtp-catcher';
import type { BenchEnvironment } from '../lib/environment';
import { TOTP_PERIOD_SECONDS, seedFromOtpauthUri, totpCodeAt, totpStepAt } from '../lib/totp';
import type { Benchmark } from './types';

/** Measured logins per side, in alternating rounds (the order flips every round). */
const ROUNDS = 3;
const PER_ROUND = 100;
const WARM_UP = 20;
/** Each enrolled user logs in once: a TOTP code is accepted once per factor and 30-second step. */
const USERS_PER_SIDE = ROUNDS * PER_ROUND + WARM_UP;

interface Login {
  ms: number;
  /** The second request alone (POST /auth/mfa/verify); 0 for a password-only login. */
  verifyMs: number;
  ok: boolean;
}

interface Round {
  logins: Login[];
  seconds: number;
}

interface Enrolled {
  email: string;
  userId: string;
  seed: Uint8Array;
}

const elapsedMs = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function passwordLogin(authUrl: string, email: string, password: string): Promise<Login> {
  const started = process.hrtime.bigint();
  const { status, json } = await post(`${authUrl}/auth/login`, { email, password });
  return { ms: elapsedMs(started), verifyMs: 0, ok: status === 200 && typeof json['accessToken'] === 'string' };
}

/** POST /auth/login → mfaRequired + challenge → POST /auth/mfa/verify with the current code. */
async function totpLogin(authUrl: string, user: Enrolled, password: string): Promise<Login> {
  const started = process.hrtime.bigint();
  const first = await post(`${authUrl}/auth/login`, { email: user.email, password });
  if (first.status !== 200 || first.json['mfaRequired'] !== true) return { ms: elapsedMs(started), verifyMs: 0, ok: false };
  const verifyStarted = process.hrtime.bigint();
  const totp = await totpCodeAt(user.seed, Date.now());
  const second = await post(`${authUrl}/auth/mfa/verify`, { challenge: first.json['challenge'], totp });
  return {
    ms: elapsedMs(started),
    verifyMs: elapsedMs(verifyStarted),
    ok: second.status === 200 && typeof second.json['accessToken'] === 'string',
  };
}

/** `clients` concurrent clients work through `jobs` (each job once); wall time is the round's. */
async function runRound(jobs: (() => Promise<Login>)[], clients: number): Promise<Round> {
  const logins: Login[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++] as () => Promise<Login>;
        logins.push(await job());
      }
    }),
  );
  return { logins, seconds: elapsedMs(started) / 1000 };
}

/** Enrols a TOTP factor through the real API: password login, POST /auth/factors/totp, confirm with a first code. */
async function enrolTotp(env: BenchEnvironment, authUrl: string, email: string, userId: string): Promise<Enrolled> {
  const token = await env.login(authUrl, email);
  const enrolment = await post(`${authUrl}/auth/factors/totp`, { name: 'bench' }, token);
  if (enrolment.status !== 201) throw new Error(`enrolling ${email}: ${enrolment.status} ${JSON.stringify(enrolment.json)}`);
  const seed = seedFromOtpauthUri(enrolment.json['otpauthUri'] as string);
  const code = await totpCodeAt(seed, Date.now());
  const confirm = await post(`${authUrl}/auth/factors/totp/${enrolment.json['factorId'] as string}/confirm`, { code }, token);
  if (confirm.status !== 204) throw new Error(`confirming ${email}'s factor: ${confirm.status} ${JSON.stringify(confirm.json)}`);
  return { email, userId, seed };
}

/** Admin reset (DELETE /auth/admin/users/:id/factors): the data set's users sign in with the password alone again. */
async function resetFactors(authUrl: string, adminToken: string, userIds: string[]): Promise<void> {
  for (const id of userIds) {
    const response = await fetch(`${authUrl}/auth/admin/users/${id}/factors`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    if (response.status !== 204) throw new Error(`resetting the factors of ${id}: ${response.status} ${await response.text()}`);
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function summary(rounds: Round[]) {
  const logins = rounds.flatMap((round) => round.logins);
  const good = logins.filter((login) => login.ok);
  const seconds = rounds.reduce((sum, round) => sum + round.seconds, 0);
  return {
    perSecond: good.length / seconds,
    p50: quantile(
      good.map((login) => login.ms),
      0.5,
    ),
    p90: quantile(
      good.map((login) => login.ms),
      0.9,
    ),
    verifyP50: quantile(
      good.map((login) => login.verifyMs),
      0.5,
    ),
    failures: logins.length - good.length,
    seconds,
  };
}

/**
 * What a TOTP step costs a login (issue 14): the same number of logins, at the same concurrency,
 * through password + POST /auth/mfa/verify for users with a TOTP factor, and through the password
 * alone for users without one. Both pay one argon2 hash; the second step adds a round trip and
 * its database work (challenge, ledger admit and clear, single-use step, session, event), which on
 * FerretDB (no secondary index) costs about as much as the rest of a password login.
 */
export const loginTotpBenchmark: Benchmark = {
  name: 'login-totp',
  title: 'Login throughput: password + TOTP step vs password only',
  method:
    `${USERS_PER_SIDE} active seeded members get a TOTP factor through the real API (password login, POST /auth/factors/totp, ` +
    'the seed read from the otpauth URI, POST /auth/factors/totp/:id/confirm with a code from @otplib/totp), then the next ' +
    'step boundary is awaited so no confirmation code is replayed. Contender: POST /auth/login (answers mfaRequired and a ' +
    'challenge) then POST /auth/mfa/verify {challenge, totp}; baseline: POST /auth/login for as many other members without a ' +
    `factor. ${ROUNDS} rounds of ${PER_ROUND} logins per side, alternating (the order flips every round), each user once ` +
    '(a code is accepted once per factor and 30-second step; one login per user also keeps the lockout ledger at one open ' +
    'attempt per user), --connections concurrent clients for both, after a warm-up of ' +
    `${WARM_UP} logins each. logins/s = successful logins ÷ the rounds' wall time; latency per whole login in the bench ` +
    'process. The factors are reset through the admin API afterwards (notices go to an in-process SMTP server), so the data ' +
    'set stays password-only for the other benchmarks. The per-IP login throttle is lifted for the run.',
  services: ['auth-api'],
  async run(env) {
    const smtp = await startSmtpCatcher();
    const enrolled: Enrolled[] = [];
    let adminToken: string | undefined;
    let authUrl: string | undefined;
    try {
      const { 'auth-api': auth } = await env.startWith({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '50' }, 'auth-api');
      if (!auth) throw new Error('auth-api did not start');
      authUrl = auth.url;
      const password = env.seeded?.password as string;
      adminToken = await env.login(auth.url, env.seeded?.adminEmail as string);
      const emails = await env.activeMembers(2 * USERS_PER_SIDE);
      if (emails.length < 2 * USERS_PER_SIDE)
        throw new Error(`need ${2 * USERS_PER_SIDE} active members, the data set has ${emails.length}`);
      const users = await env.raw
        .collection('users')
        .find({ email: { $in: emails } }, { projection: { email: 1, secondFactors: 1 } })
        .toArray();
      const idOf = new Map(users.map((user) => [user['email'] as string, user._id.toHexString()]));
      // Left over from an interrupted run: without this, a baseline user would answer mfaRequired.
      const leftovers = users
        .filter((user) => (user['secondFactors'] as string[] | undefined)?.length)
        .map((user) => user._id.toHexString());
      await resetFactors(auth.url, adminToken, leftovers);

      const plain = emails.slice(0, USERS_PER_SIDE);
      const withTotp = emails.slice(USERS_PER_SIDE);
      const enrolStarted = process.hrtime.bigint();
      await runRound(
        withTotp.map((email) => async () => {
          enrolled.push(await enrolTotp(env, auth.url, email, idOf.get(email) as string));
          return { ms: 0, verifyMs: 0, ok: true };
        }),
        env.scale.connections,
      );
      const enrolSeconds = elapsedMs(enrolStarted) / 1000;
      // Every confirmation used the code of a step now past: no measured login can replay one.
      const lastConfirmStep = totpStepAt(Date.now());
      while (totpStepAt(Date.now()) <= lastConfirmStep) await new Promise((r) => setTimeout(r, 250));
      // Enrolment and reset notices are mailed by the outbox: let it drain before measuring.
      const mailDeadline = Date.now() + 60_000;
      while (smtp.messages.length < leftovers.length && Date.now() < mailDeadline) await new Promise((r) => setTimeout(r, 200));

      const clients = env.scale.connections;
      const plainJob = (email: string) => () => passwordLogin(auth.url, email, password);
      const totpJob = (user: Enrolled) => () => totpLogin(auth.url, user, password);
      const warmPlain = await runRound(plain.slice(-WARM_UP).map(plainJob), clients);
      const warmTotp = await runRound(enrolled.slice(-WARM_UP).map(totpJob), clients);
      const warmFailures = [...warmPlain.logins, ...warmTotp.logins].filter((login) => !login.ok).length;

      const loadBefore = loadavg()[0] as number;
      const baselineRounds: Round[] = [];
      const contenderRounds: Round[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const slice = (list: readonly unknown[]) => list.slice(round * PER_ROUND, (round + 1) * PER_ROUND);
        const baseline = () => runRound((slice(plain) as string[]).map(plainJob), clients);
        const contender = () => runRound((slice(enrolled) as Enrolled[]).map(totpJob), clients);
        if (round % 2 === 0) {
          baselineRounds.push(await baseline());
          contenderRounds.push(await contender());
        } else {
          contenderRounds.push(await contender());
          baselineRounds.push(await baseline());
        }
      }
      const loadAfter = loadavg()[0] as number;
      const totp = summary(contenderRounds);
      const passwordOnly = summary(baselineRounds);
      return {
        columns: ['contender', 'logins/s', 'p50 ms', 'p90 ms', 'verify p50 ms', 'failures'],
        rows: [
          ['password + TOTP (POST /auth/login, /auth/mfa/verify)', totp.perSecond, totp.p50, totp.p90, totp.verifyP50, totp.failures],
          ['password only (POST /auth/login)', passwordOnly.perSecond, passwordOnly.p50, passwordOnly.p90, '', passwordOnly.failures],
        ],
        ratios: [
          {
            label: 'logins/s TOTP ÷ password only',
            value: totp.perSecond / passwordOnly.perSecond,
            meaning: '1.0 = the TOTP step costs no throughput; 0.5 = it costs as much as the password step',
          },
          {
            label: 'median latency TOTP ÷ password only',
            value: totp.p50 / passwordOnly.p50,
            meaning: 'what a second factor adds to the time a user waits (one more round trip and its database work)',
          },
        ],
        notes: [
          `${ROUNDS * PER_ROUND} logins per side with ${clients} concurrent clients; wall time ${totp.seconds.toFixed(1)} s (TOTP) and ${passwordOnly.seconds.toFixed(1)} s (password only)`,
          `${enrolled.length} TOTP factors enrolled through the API in ${enrolSeconds.toFixed(1)} s; ${leftovers.length} left over from an earlier run reset first; warm-up failures: ${warmFailures}`,
          `each enrolled user logged in once (a code is single-use per ${TOTP_PERIOD_SECONDS} s step), none of them in the step of its confirmation`,
          ...(totp.failures + passwordOnly.failures > 0 ? ['some logins failed (non-200 or no token): the numbers are suspect'] : []),
          `the bench process, auth-api and the database share the same cores; 1-minute load average ${loadBefore.toFixed(1)} before the rounds, ${loadAfter.toFixed(1)} after (anything else running weighs on both sides alike, but stretches the database's share)`,
        ],
        raw: {
          contender: contenderRounds.map((round) => ({
            seconds: round.seconds,
            ms: round.logins.map((l) => l.ms),
            verifyMs: round.logins.map((l) => l.verifyMs),
          })),
          baseline: baselineRounds.map((round) => ({ seconds: round.seconds, ms: round.logins.map((l) => l.ms) })),
          enrolSeconds,
        },
      };
    } finally {
      if (authUrl && adminToken) {
        const mailedBefore = smtp.messages.length;
        await resetFactors(
          authUrl,
          adminToken,
          enrolled.map((user) => user.userId),
        ).catch((error: unknown) =>
          console.error(`resetting the bench's TOTP factors failed (run again to clean up): ${(error as Error).message}`),
        );
        const deadline = Date.now() + 60_000;
        while (smtp.messages.length < mailedBefore + enrolled.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      }
      await env.stopServices();
      await smtp.close();
    }
  },
};
