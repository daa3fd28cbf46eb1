import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report, scanLine, scanPaths, SECRET_KEYS } from './log-hygiene.cjs';

/** The scanner tools/with-database.ts runs over every log line of a test run. */
describe('log hygiene scanner', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiI2NWYwIiwicm9sZXMiOlsibWVtYmVyIl19.c2lnbmF0dXJlLWJ5dGVz';
  const refreshToken = randomBytes(32).toString('base64url');
  const kinds = (line: string) => scanLine(line).map((finding) => finding.kind);

  it.each([
    ['an access token in a message', `{"msg":"refused ${jwt}"}`, 'access token (JWT)'],
    ['an argon2id hash', '{"err":"bad hash $argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"}', 'argon2 hash'],
    ['a bcrypt hash', '{"secretHash":"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"}', 'bcrypt hash'],
    ['a refresh token in a message', `{"msg":"reuse of ${refreshToken}"}`, 'refresh token'],
  ])('finds %s', (_what, line, kind) => {
    expect(kinds(line)).toContain(kind);
  });

  it.each(SECRET_KEYS.map((key) => [key]))('finds an unredacted "%s" field, also inside logged JSON text', (key) => {
    expect(kinds(`{"body":{"${key}":"p4ssw0rd-ish"}}`)).toEqual([`unredacted "${key}" field`]);
    expect(kinds(`{"msg":"cannot parse {\\"${key}\\": \\"p4ssw0rd-ish\\""}`)).toEqual([`unredacted "${key}" field`]);
    expect(kinds(`{"body":{"${key}":12345}}`)).toEqual([`unredacted "${key}" field`]);
  });

  it('accepts redacted fields and ordinary log lines', () => {
    const clean = [
      '{"level":30,"service":"auth-api","req":{"id":"8d0c6f2a-1b6e-4e3d-9a0b-0c1d2e3f4a5b","method":"POST","path":"/auth/login"},"res":{"statusCode":401}}',
      '{"body":{"password":"[redacted]","refreshToken":"[redacted]","authorization":"[redacted]"}}',
      '{"msg":"password must be longer than or equal to 12 characters"}',
      `{"kid":"${refreshToken}","msg":"key loaded"}`,
      `{"msg":"Signing access tokens with key ${refreshToken}; JWKS publishes 1 key(s)"}`,
      `{"hash":"${'ab12'.repeat(16)}"}`,
    ];
    for (const line of clean) expect(scanLine(line)).toEqual([]);
  });

  it('reports file:line with masked values, counts lines, and fails only on findings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-hygiene-'));
    try {
      writeFileSync(join(dir, 'clean.ndjson'), '{"msg":"a"}\n{"msg":"b"}\n');
      const clean = report(scanPaths([dir]), { cwd: dir });
      expect(clean).toEqual({ ok: true, text: expect.stringContaining('scanned 2 log lines in 1 files') });

      writeFileSync(join(dir, 'leaky.ndjson'), `{"msg":"a"}\n{"msg":"${jwt}"}\n`);
      const leaky = report(scanPaths([dir]), { cwd: dir });
      expect(leaky.ok).toBe(false);
      expect(leaky.text).toContain('leaky.ndjson:2  access token (JWT): eyJhbG…');
      expect(leaky.text).not.toContain(jwt);
      expect(leaky.text).toContain('in 4 log lines (2 files)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails when there is nothing to scan (a broken log setup must not pass as clean)', () => {
    expect(report({ files: 0, lines: 0, findings: [] }).ok).toBe(false);
  });
});
