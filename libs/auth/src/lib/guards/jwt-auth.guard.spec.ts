import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AUTH_MODULE_OPTIONS, type AuthModuleOptions } from '../auth.options';
import { GUARD_PROVIDERS } from '../auth.providers';
import type { AuthenticatedUser } from '../authenticated-user';
import { CurrentUser } from '../decorators/current-user.decorator';
import { Public } from '../decorators/public.decorator';
import { JwtStrategy } from '../verification/jwt.strategy';
import { TokenRevocation } from '../verification/token-revocation';
import { JwtAuthGuard } from './jwt-auth.guard';

const USER = '665f1c2e9b1d8a0012345678';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signToken(privateKey: KeyObject, kid: string, overrides: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'issuer',
    aud: 'audience',
    sub: USER,
    roles: ['member'],
    iat: now,
    exp: now + 900,
    jti: randomUUID(),
    ...overrides,
  };
  const input = `${b64({ alg: 'RS256', typ: 'at+jwt', kid })}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

@Controller()
class ProbeController {
  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser) {
    return { id: user.id };
  }

  @Public()
  @Get('open')
  open() {
    return { open: true };
  }
}

/** Revocation answers the test sets, standing in for the users collection. */
const revocation = { state: 'active' as 'active' | 'revoked' | 'down', calls: 0 };

/** An app with the strategy and a global JwtAuthGuard, as AuthModule wires them (its User model aside). */
async function app(options: Partial<AuthModuleOptions>): Promise<INestApplication> {
  @Module({
    controllers: [ProbeController],
    providers: [
      { provide: AUTH_MODULE_OPTIONS, useValue: { issuer: 'issuer', audience: 'audience', ...options } },
      {
        provide: TokenRevocation,
        useValue: {
          isRevoked: async () => {
            revocation.calls += 1;
            if (revocation.state === 'down') throw new Error('database unreachable');
            return revocation.state === 'revoked';
          },
        },
      },
      ...GUARD_PROVIDERS,
      { provide: APP_GUARD, useExisting: JwtAuthGuard },
    ],
  })
  class ProbeModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
  const nest = moduleRef.createNestApplication({ logger: false });
  await nest.init();
  return nest;
}

describe('JwtAuthGuard and JwtStrategy (@nestjs/passport)', () => {
  const one = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const two = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pemOf = (key: KeyObject) => key.export({ format: 'pem', type: 'spki' }).toString();
  const keyed = (kid: string, key: KeyObject) => ({
    verificationKey: (asked: string | undefined) => (asked === kid ? pemOf(key) : undefined),
  });
  let first: INestApplication;
  let second: INestApplication;

  beforeAll(async () => {
    first = await app(keyed('one', one.publicKey));
    second = await app(keyed('two', two.publicKey));
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });
  beforeEach(() => {
    revocation.state = 'active';
    revocation.calls = 0;
  });

  const me = (nest: INestApplication, token?: string) => {
    const call = request(nest.getHttpServer()).get('/me');
    return token ? call.set('Authorization', `Bearer ${token}`) : call;
  };

  it('two apps in one process keep their own strategies (each registered under a name of its own)', async () => {
    expect([first.get(JwtStrategy).name, second.get(JwtStrategy).name]).toEqual(['jwt', 'jwt-2']);
    await me(first, signToken(one.privateKey, 'one')).expect(200, { id: USER });
    await me(second, signToken(two.privateKey, 'two')).expect(200, { id: USER });
    await me(first, signToken(two.privateKey, 'two')).expect(401);
    await me(second, signToken(one.privateKey, 'one')).expect(401);
  });

  it('refuses with 401 invalid_token and a Bearer challenge that says whether a token was given', async () => {
    const missing = await me(first).expect(401);
    expect(missing.body).toMatchObject({ code: 'invalid_token', message: 'Missing, invalid, expired or revoked access token' });
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    for (const token of [
      'not.a.token',
      signToken(one.privateKey, 'one', { exp: Math.floor(Date.now() / 1000) - 60 }),
      signToken(one.privateKey, 'one', { aud: 'another' }),
      signToken(one.privateKey, 'one', { sub: 'admin' }),
      signToken(two.privateKey, 'one'),
    ]) {
      const res = await me(first, token).expect(401);
      expect(res.body).toMatchObject({ code: 'invalid_token' });
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    }
  });

  it('asks TokenRevocation once per request: revoked is a 401, a database failure is not', async () => {
    const token = signToken(one.privateKey, 'one');
    revocation.state = 'revoked';
    expect((await me(first, token).expect(401)).body.code).toBe('invalid_token');
    revocation.state = 'down';
    await me(first, token).expect(500);
    expect(revocation.calls).toBe(2);
  });

  it('lets @Public() routes through without a token', async () => {
    await request(first.getHttpServer()).get('/open').expect(200, { open: true });
    expect(revocation.calls).toBe(0);
  });

  it('answers 503 jwks_unavailable when the issuer cannot be reached, not 401', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const orphan = await app({ jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json` });
    try {
      const res = await me(orphan, signToken(one.privateKey, 'one')).expect(503);
      expect(res.body).toMatchObject({ code: 'jwks_unavailable' });
    } finally {
      await orphan.close();
    }
  });

  it('gives a closed app’s strategy name back to passport', async () => {
    const third = await app(keyed('one', one.publicKey));
    const name = third.get(JwtStrategy).name;
    expect(name).toBe('jwt-3');
    await third.close();
    const fourth = await app(keyed('one', one.publicKey));
    try {
      expect(fourth.get(JwtStrategy).name).toBe('jwt-3');
      await me(fourth, signToken(one.privateKey, 'one')).expect(200);
      await me(second, signToken(two.privateKey, 'two')).expect(200);
    } finally {
      await fourth.close();
    }
  });
});
