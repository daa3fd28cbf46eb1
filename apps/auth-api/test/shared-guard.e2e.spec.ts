import type { INestApplication } from '@nestjs/common';
import { dropTestDatabase, testDatabase, testEnv, type AuthApiHandle } from '@directory/testing';
import { createHmac, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { signRs256 } from '../src/app/tokens/jws';
import { decodeJwt } from './support/jwt';
import { startInProcessAuthApi } from './support/in-process-auth-api';
import { startProbeApp } from './support/probe-app';

function rsaKey(): { privateKey: KeyObject; privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

async function fetchJwks(uri: string): Promise<{ keys: Array<{ kid: string }> }> {
  return (await (await fetch(uri)).json()) as { keys: Array<{ kid: string }> };
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('shared JWT guard (libs/auth) against the real JWKS of an in-process auth-api', () => {
  const { dbName } = testDatabase();
  const signing = rsaKey();
  let auth: AuthApiHandle;
  let probe: INestApplication;
  let kid: string;

  beforeAll(async () => {
    auth = await startInProcessAuthApi(testEnv(dbName, { AUTH_JWT_PRIVATE_KEY: signing.privatePem }));
    // No revocation cache here, so revocations show at once; its caching is unit-tested.
    probe = await startProbeApp(dbName, { jwksUri: auth.jwksUri, issuer: auth.issuer, audience: auth.audience, revocationCacheTtlMs: 0 });
    kid = (await fetchJwks(auth.jwksUri)).keys[0].kid;
  });

  afterAll(async () => {
    await probe?.close();
    const connection = auth?.connection;
    if (connection?.readyState === 1) await dropTestDatabase(connection, dbName);
    await auth?.close();
  });

  const probeMe = (token: string) => request(probe.getHttpServer()).get('/probe/me').set('Authorization', `Bearer ${token}`);

  /** Claims as auth-api would issue them for `sub`, valid now, with overrides. */
  const claims = (sub: string, overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: auth.issuer, aud: auth.audience, sub, roles: ['member'], iat: now, exp: now + 900, jti: randomUUID(), ...overrides };
  };
  const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = {}, key = signing.privateKey) =>
    signRs256({ kid, typ: 'at+jwt', ...header }, payload, key);

  it('accepts a token auth-api issued and hands the controller an AuthenticatedUser', async () => {
    const user = await auth.register();
    const res = await probeMe(user.accessToken).expect(200);
    expect(res.body).toEqual({
      id: user.id,
      roles: ['member'],
      tokenId: decodeJwt(user.accessToken).payload['jti'],
      issuedAt: new Date((decodeJwt(user.accessToken).payload['iat'] as number) * 1000).toISOString(),
      sessionId: expect.any(String),
      amr: ['pwd'],
      authTime: new Date((decodeJwt(user.accessToken).payload['auth_time'] as number) * 1000).toISOString(),
    });
    // A token the test signs with the same key and claims is accepted too: the cases below differ in one thing each.
    await probeMe(sign(claims(user.id))).expect(200);
  });

  describe('refuses (401)', () => {
    let userId: string;
    beforeAll(async () => {
      userId = (await auth.register()).id;
    });

    const forged: Array<[string, (sub: string) => string]> = [
      [
        'an expired token',
        (sub) => sign(claims(sub, { iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 60 })),
      ],
      ['a token signed by another key under the real kid', (sub) => sign(claims(sub), {}, rsaKey().privateKey)],
      [
        'a token signed by another key under an unknown kid',
        (sub) => sign(claims(sub), { kid: 'not-a-published-kid' }, rsaKey().privateKey),
      ],
      ['alg: none', (sub) => `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(claims(sub))}.`],
      [
        'HS256 keyed with the public key',
        (sub) => {
          const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64(claims(sub))}`;
          return `${input}.${createHmac('sha256', signing.publicPem).update(input).digest('base64url')}`;
        },
      ],
      ['the wrong audience', (sub) => sign(claims(sub, { aud: 'some-other-api' }))],
      ['the wrong issuer', (sub) => sign(claims(sub, { iss: 'https://evil.example' }))],
      ['a JWT that is not an access token (typ JWT)', (sub) => sign(claims(sub), { typ: 'JWT' })],
      ['a token without typ', (sub) => sign(claims(sub), { typ: undefined })],
      ['a token without exp', (sub) => sign(claims(sub, { exp: undefined }))],
      ['a token whose sub is not a user id', () => sign(claims('admin'))],
      ['a token for a user that does not exist', () => sign(claims('665f1c2e9b1d8a0012345678'))],
      [
        'a tampered payload (roles raised) with the original signature',
        (sub) => {
          const [header, , signature] = sign(claims(sub)).split('.');
          return `${header}.${b64(claims(sub, { roles: ['member', 'admin'] }))}.${signature}`;
        },
      ],
      ['garbage', () => 'not.a.token'],
    ];

    it.each(forged)('%s', async (_name, make) => {
      const res = await probeMe(make(userId)).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'invalid_token' });
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('no token at all', async () => {
      const res = await request(probe.getHttpServer()).get('/probe/me').expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });
  });

  it('@Roles: a member gets 403 on an admin route; an admin (new token) gets in', async () => {
    const member = await auth.register();
    const forbidden = await request(probe.getHttpServer())
      .get('/probe/admin')
      .set('Authorization', `Bearer ${member.accessToken}`)
      .expect(403);
    expect(forbidden.body.code).toBe('forbidden');
    const admin = await auth.registerAdmin();
    expect(decodeJwt(admin.accessToken).payload['roles']).toEqual(['member', 'admin']);
    await request(probe.getHttpServer()).get('/probe/admin').set('Authorization', `Bearer ${admin.accessToken}`).expect(200);
  });

  it('logout-all and password change kill access tokens already issued, on another service too', async () => {
    const user = await auth.register();
    await probeMe(user.accessToken).expect(200);
    const res = await fetch(`${auth.url}/auth/logout-all`, { method: 'POST', headers: { authorization: `Bearer ${user.accessToken}` } });
    expect(res.status).toBe(204);
    await probeMe(user.accessToken).expect(401);

    const again = await auth.login(user.email, user.password);
    await probeMe(again.accessToken).expect(200);
    const changed = await fetch(`${auth.url}/auth/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${again.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: user.password, newPassword: 'a brand new passphrase 9' }),
    });
    expect(changed.status).toBe(204);
    await probeMe(again.accessToken).expect(401);
  });

  it('suspension and deletion kill access tokens already issued', async () => {
    const users = auth.connection.collection('users');
    for (const status of ['suspended', 'deleted']) {
      const user = await auth.register();
      await probeMe(user.accessToken).expect(200);
      await users.updateOne({ email: user.email }, { $set: { status } });
      await probeMe(user.accessToken).expect(401);
    }
  });

  it('keys rotate without logging anyone out: the JWKS carries old and new keys', async () => {
    const user = await auth.register();
    const next = rsaKey();
    const rotated = await startInProcessAuthApi(
      testEnv(dbName, { AUTH_JWT_PRIVATE_KEY: next.privatePem, AUTH_JWT_PUBLIC_KEYS: signing.publicPem }),
    );
    const rotatedProbe = await startProbeApp(dbName, { jwksUri: rotated.jwksUri, issuer: auth.issuer, audience: auth.audience });
    try {
      const kids = (await fetchJwks(rotated.jwksUri)).keys.map((key) => key.kid);
      expect(kids).toHaveLength(2);
      expect(kids).toContain(kid);
      const fresh = await rotated.login(user.email, user.password);
      expect(decodeJwt(fresh.accessToken).header['kid']).not.toBe(kid);
      for (const token of [user.accessToken, fresh.accessToken]) {
        await request(rotatedProbe.getHttpServer()).get('/probe/me').set('Authorization', `Bearer ${token}`).expect(200);
      }
    } finally {
      await rotatedProbe.close();
      await rotated.close();
    }
  });

  it('an unreachable JWKS endpoint is a 503, not a 401', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const orphan = await startProbeApp(dbName, {
      jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      issuer: auth.issuer,
      audience: auth.audience,
    });
    try {
      const user = await auth.register();
      const res = await request(orphan.getHttpServer()).get('/probe/me').set('Authorization', `Bearer ${user.accessToken}`).expect(503);
      expect(res.body.code).toBe('jwks_unavailable');
    } finally {
      await orphan.close();
    }
  });

  it('installed globally: every route needs a token except @Public() ones and the health probes', async () => {
    const global = await startProbeApp(dbName, { jwksUri: auth.jwksUri, issuer: auth.issuer, audience: auth.audience, global: true });
    try {
      const server = global.getHttpServer();
      await request(server).get('/health/live').expect(200);
      await request(server).get('/metrics').expect(200);
      await request(server).get('/global/open').expect(200);
      await request(server).get('/global/closed').expect(401);
      const user = await auth.register();
      const res = await request(server).get('/global/closed').set('Authorization', `Bearer ${user.accessToken}`).expect(200);
      expect(res.body).toEqual({ id: user.id });
    } finally {
      await global.close();
    }
  });
});
