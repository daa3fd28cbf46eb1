/**
 * Measures how long a failed login takes for a known email and for an unknown one (issue 12,
 * ASVS 5.0 V6.3.8): 200 attempts each, interleaved, wrong password, against auth-api in process
 * on the test database. Prints the medians; asserts nothing about time (not part of the suite).
 *
 *   npx jest -c apps/auth-api/jest.config.cts --testMatch '<rootDir>/scripts/login-timing.measure.ts'
 */
import { createTestApp, dropTestDatabase, testDatabase, testEnv } from '@directory/testing';
import { ConnectionRole, connectionToken } from '@directory/connections';
import type { INestApplication } from '@nestjs/common';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { authApiModule, HTTP_OPTIONS } from '../src/in-process';

const ATTEMPTS = 200;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

describe('login timing: known vs unknown email (measurement, not a test)', () => {
  const { dbName } = testDatabase();
  let app: INestApplication;

  beforeAll(async () => {
    // Limits out of the way, so every attempt takes the wrong-password path (not the lock);
    // each attempt comes from its own address (X-Forwarded-For from loopback is trusted).
    const env = {
      AUTH_THROTTLE_LIMIT: '1000000',
      AUTH_LOCKOUT_THRESHOLD: '100',
      AUTH_LOCKOUT_ACCOUNT_THRESHOLD: '10000',
      AUTH_LOGIN_FAILURES_PER_IP: '1000000',
      TRUST_PROXY: 'loopback',
    };
    app = await createTestApp(authApiModule(testEnv(dbName, env)), HTTP_OPTIONS);
  });

  afterAll(async () => {
    await dropTestDatabase(app.get<Connection>(connectionToken(ConnectionRole.Fast)), dbName);
    await app.close();
  });

  it(`prints the median time of ${ATTEMPTS} failed logins for each`, async () => {
    const server = app.getHttpServer();
    const known = {
      email: `timing-${Date.now()}@example.com`,
      password: 'correct horse battery staple 42',
      name: { first: 'T', last: 'M' },
    };
    await request(server).post('/auth/register').send(known).expect(201);
    const time = async (email: string, i: number) => {
      const started = process.hrtime.bigint();
      const res = await request(server)
        .post('/auth/login')
        .set('X-Forwarded-For', `10.${(i >> 8) & 255}.${i & 255}.${email === known.email ? 1 : 2}`)
        .send({ email, password: `wrong password ${i}` });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(res.status).toBe(401);
      return ms;
    };
    for (let i = 0; i < 10; i++) await time(`warmup-${i}@example.com`, 60_000 + i); // JIT, pools
    // One unknown email, tried as often as the known one: both keys then hold as many ledger rows.
    const unknown = `nobody-${Date.now()}@example.com`;
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    for (let i = 0; i < ATTEMPTS; i++) {
      // Interleaved, alternating which goes first, so drift affects both alike.
      if (i % 2) {
        knownMs.push(await time(known.email, i));
        unknownMs.push(await time(unknown, i));
      } else {
        unknownMs.push(await time(unknown, i));
        knownMs.push(await time(known.email, i));
      }
    }
    const line = (label: string, values: number[]) =>
      `${label}: median ${median(values).toFixed(2)} ms, p10 ${quantile(values, 0.1).toFixed(2)} ms, p90 ${quantile(values, 0.9).toFixed(2)} ms (n=${values.length})`;
    const report = [
      line('known email, wrong password  ', knownMs),
      line('unknown email                ', unknownMs),
      `difference of medians (known - unknown): ${(median(knownMs) - median(unknownMs)).toFixed(2)} ms`,
    ].join('\n');
    process.stdout.write(`\n${report}\n`);
  }, 600_000);
});
