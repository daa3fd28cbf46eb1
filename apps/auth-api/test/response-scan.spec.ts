import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findSecrets, recordServedResponses, type ServedResponse } from './support/served-responses';

/** The scan every auth-api test file runs at its end (support/scan-every-response.setup.ts) must be able to fail. */
describe('response scan', () => {
  const token = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v';
  const issued: ServedResponse = {
    request: 'POST /auth/login',
    status: 200,
    body: JSON.stringify({ accessToken: 'x.y.z', refreshToken: token }),
  };

  it('finds argon2 hashes, the word "secret" and the stored hash of an issued refresh token', () => {
    const stored = createHash('sha256').update(token).digest('hex');
    const leaks: ServedResponse[] = [
      { request: 'GET /a', status: 200, body: '{"hash":"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"}' },
      { request: 'GET /b', status: 200, body: '{"Secret":"x"}' },
      { request: 'GET /c', status: 500, body: `{"tokenHash":"${stored}"}` },
    ];
    expect(findSecrets([issued, ...leaks])).toEqual([
      { request: 'GET /a', what: 'an argon2 password hash' },
      { request: 'GET /b', what: 'the word "secret"' },
      { request: 'GET /c', what: 'the stored SHA-256 of a refresh token' },
    ]);
  });

  it('passes clean responses, including the refresh token itself', () => {
    expect(findSecrets([issued, { request: 'GET /auth/me', status: 200, body: '{"id":"665f1c2e9b1d8a0012345678"}' }])).toEqual([]);
  });

  it('allows a TOTP seed only in the otpauth:// URI of its enrolment response, and nowhere else', () => {
    const seed = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const otpauthUri = `otpauth://totp/Directory:ada%40example.com?secret=${seed}&issuer=Directory`;
    const enrolment: ServedResponse = {
      request: 'POST /auth/factors/totp',
      status: 201,
      body: JSON.stringify({ factorId: '665f1c2e9b1d8a0012345678', otpauthUri, qrSvg: '<svg></svg>' }),
    };
    expect(findSecrets([enrolment])).toEqual([]);
    expect(
      findSecrets([
        enrolment,
        // the word elsewhere in the enrolment, the URI on another route, the seed in a later response
        { request: 'POST /auth/factors/totp', status: 201, body: `{"otpauthUri":"${otpauthUri}","secret":"x"}` },
        { request: 'GET /auth/factors', status: 200, body: `{"otpauthUri":"${otpauthUri}"}` },
        { request: 'GET /auth/factors', status: 200, body: `{"seed":"${seed}"}` },
      ]),
    ).toEqual([
      { request: 'POST /auth/factors/totp', what: 'the word "secret"' },
      { request: 'GET /auth/factors', what: 'the word "secret"' },
      { request: 'GET /auth/factors', what: 'a TOTP seed outside its enrolment' },
      { request: 'GET /auth/factors', what: 'a TOTP seed outside its enrolment' },
    ]);
  });

  it('records what a server writes, whether in chunks or at once', async () => {
    const recording = recordServedResponses();
    const server = createServer((req, res) => {
      if (req.url === '/chunked') {
        res.write('hello ');
        res.end(Buffer.from('world'));
      } else {
        res.end('{"ok":true}');
      }
    });
    try {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await (await fetch(`http://127.0.0.1:${port}/chunked`)).text();
      await (await fetch(`http://127.0.0.1:${port}/whole`)).text();
    } finally {
      recording.stop();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(recording.responses).toEqual([
      { request: 'GET /chunked', status: 200, body: 'hello world' },
      { request: 'GET /whole', status: 200, body: '{"ok":true}' },
    ]);
  });
});
