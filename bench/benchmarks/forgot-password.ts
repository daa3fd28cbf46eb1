import { startSmtpCatcher } from '@directory/testing/smtp-catcher';
import type { Benchmark } from './types';

const SAMPLES = 200;
const WARM_UP = 20;

interface Sample {
  ms: number;
  status: number;
  body: string;
}

async function timedForgot(url: string, email: string): Promise<Sample> {
  const started = process.hrtime.bigint();
  const response = await fetch(`${url}/auth/password/forgot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  const body = await response.text();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: response.status, body };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/**
 * Account enumeration by timing (issue 13): does POST /auth/password/forgot answer an address
 * with an account measurably slower or faster than one without? Each of 200 known members and
 * 200 unknown addresses is asked once, alternating (which goes first flips every pair, so drift
 * and warm caches hit both alike), one request at a time, with the mail sender running against
 * a real SMTP server. The unknown addresses are the baseline.
 */
export const forgotPasswordBenchmark: Benchmark = {
  name: 'forgot-password',
  title: 'Forgot-password timing: known vs unknown address',
  method:
    `POST /auth/password/forgot for ${SAMPLES} distinct active seeded members and ${SAMPLES} distinct addresses no account has, ` +
    'alternating (the order flips every pair), one request at a time, after a warm-up of 20 each; auth-api sends mail to an ' +
    'in-process SMTP server (smtp-server) meanwhile. Latency is measured in the bench process around each fetch. The acceptance ' +
    'bar (issue 13): medians within 10 %, identical status and body.',
  services: ['auth-api'],
  async run(env) {
    const smtp = await startSmtpCatcher();
    try {
      const { 'auth-api': auth } = await env.startWith({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '50' }, 'auth-api');
      if (!auth) throw new Error('auth-api did not start');
      const members = await env.activeMembers(SAMPLES + WARM_UP);
      if (members.length < SAMPLES + WARM_UP)
        throw new Error(`need ${SAMPLES + WARM_UP} active members, the data set has ${members.length}`);
      const unknown = Array.from({ length: SAMPLES + WARM_UP }, (_, i) => `nobody-${i}-${Date.now()}@unknown.example.com`);
      for (let i = 0; i < WARM_UP; i++) {
        await timedForgot(auth.url, members[SAMPLES + i] as string);
        await timedForgot(auth.url, unknown[SAMPLES + i] as string);
      }
      const known: Sample[] = [];
      const nobody: Sample[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        if (i % 2 === 0) {
          known.push(await timedForgot(auth.url, members[i] as string));
          nobody.push(await timedForgot(auth.url, unknown[i] as string));
        } else {
          nobody.push(await timedForgot(auth.url, unknown[i] as string));
          known.push(await timedForgot(auth.url, members[i] as string));
        }
      }
      // Every known member's mail should arrive; none for the unknown addresses.
      const deadline = Date.now() + 180_000;
      while (smtp.messages.length < SAMPLES + WARM_UP && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const unknownSet = new Set(unknown);
      const mailedUnknown = smtp.messages.filter((m) => unknownSet.has(m.to)).length;
      await env.stopServices();

      const medianKnown = quantile(
        known.map((s) => s.ms),
        0.5,
      );
      const medianUnknown = quantile(
        nobody.map((s) => s.ms),
        0.5,
      );
      const statuses = new Set([...known, ...nobody].map((s) => s.status));
      const bodies = new Set([...known, ...nobody].map((s) => s.body));
      return {
        columns: ['contender', 'median ms', 'p90 ms', 'p99 ms', 'statuses'],
        rows: [
          [
            'known address (account, mail sent)',
            medianKnown,
            quantile(
              known.map((s) => s.ms),
              0.9,
            ),
            quantile(
              known.map((s) => s.ms),
              0.99,
            ),
            [...new Set(known.map((s) => s.status))].join(','),
          ],
          [
            'unknown address (no account, no mail)',
            medianUnknown,
            quantile(
              nobody.map((s) => s.ms),
              0.9,
            ),
            quantile(
              nobody.map((s) => s.ms),
              0.99,
            ),
            [...new Set(nobody.map((s) => s.status))].join(','),
          ],
        ],
        ratios: [
          {
            label: 'median known ÷ median unknown',
            value: medianKnown / medianUnknown,
            meaning: '1.0 = indistinguishable by median; the bar is 0.9–1.1',
          },
        ],
        notes: [
          `${SAMPLES} samples each; statuses seen: ${[...statuses].join(', ')}; distinct response bodies: ${bodies.size} (1 = identical)`,
          `mail delivered to the SMTP server: ${smtp.messages.length} (known members asked: ${SAMPLES + WARM_UP}); to unknown addresses: ${mailedUnknown}`,
          'one request at a time from one client on the same machine as auth-api and the database: this measures the server-side difference, not network jitter.',
        ],
        raw: { known: known.map((s) => s.ms), unknown: nobody.map((s) => s.ms) },
      };
    } finally {
      await smtp.close();
    }
  },
};
