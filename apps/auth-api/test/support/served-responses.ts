import { createHash } from 'node:crypto';
import { ServerResponse } from 'node:http';

/** One HTTP response some server in this test process sent, body as text. */
export interface ServedResponse {
  request: string;
  status: number;
  body: string;
}

export interface SecretFinding {
  request: string;
  what: string;
}

const ARGON2_HASH = /\$argon2(?:id|i|d)\$/;
const SECRET_WORD = /secret/i;
/**
 * The one response that hands out a secret, by design and once: a TOTP enrolment's otpauth://
 * URI carries the seed in its `secret` parameter (the Key Uri Format has no other way). There,
 * and only there, that parameter is allowed; the seed itself then must appear in no other response.
 */
const TOTP_ENROLMENT = 'POST /auth/factors/totp';
const OTPAUTH_SEED_PARAMETER = /(otpauth:\/\/totp\/[^"\s?]*\?(?:[^"\s]*&)?)secret=([A-Z2-7]+)/g;

const isEnrolment = (response: ServedResponse): boolean => response.request === TOTP_ENROLMENT && response.status === 201;

/** The TOTP seeds an enrolment response handed out. */
function seedsIn(body: string): string[] {
  return [...body.matchAll(OTPAUTH_SEED_PARAMETER)].map((match) => match[2]);
}

/** Every `refreshToken` value in a JSON body (top level or nested). */
function refreshTokensIn(body: string): string[] {
  if (!body.includes('refreshToken')) return [];
  const found: string[] = [];
  try {
    JSON.parse(body, (key, value: unknown) => {
      if (key === 'refreshToken' && typeof value === 'string') found.push(value);
      return value;
    });
  } catch {
    // Not JSON: nothing to collect.
  }
  return found;
}

/**
 * What must never be in a response: a password hash (`$argon2`), the word "secret" (the
 * AuthenticationMethod field; allowed only as the seed parameter of a TOTP enrolment's otpauth://
 * URI), a TOTP seed anywhere but in its enrolment, or the stored form of any refresh token — the
 * SHA-256 hex of a refresh token some response handed out. Every stored refresh-token hash is the hash of a
 * token issued through a response, so this needs no database.
 */
export function findSecrets(responses: readonly ServedResponse[]): SecretFinding[] {
  const storedForms = new Set(
    responses.flatMap((response) => refreshTokensIn(response.body)).map((token) => createHash('sha256').update(token).digest('hex')),
  );
  const seeds = new Set(responses.filter(isEnrolment).flatMap((response) => seedsIn(response.body)));
  const findings: SecretFinding[] = [];
  for (const response of responses) {
    const { request, body } = response;
    const enrolment = isEnrolment(response);
    if (ARGON2_HASH.test(body)) findings.push({ request, what: 'an argon2 password hash' });
    const scanned = enrolment ? body.replace(OTPAUTH_SEED_PARAMETER, '$1seed=$2') : body;
    if (SECRET_WORD.test(scanned)) findings.push({ request, what: 'the word "secret"' });
    for (const seed of seeds) {
      if (body.includes(seed) && !(enrolment && seedsIn(body).includes(seed))) {
        findings.push({ request, what: 'a TOTP seed outside its enrolment' });
      }
    }
    for (const hash of storedForms) {
      if (body.includes(hash)) findings.push({ request, what: 'the stored SHA-256 of a refresh token' });
    }
  }
  return findings;
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer | null {
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return null;
}

/**
 * Records the body of every response any HTTP server in this process sends (the app under
 * test, a second replica, a probe app, auth-api started by `startInProcessAuthApi`), by wrapping
 * `ServerResponse.write`/`end`. Tests reach servers through supertest or fetch; both end up
 * here, so no request can slip past the scan.
 */
export function recordServedResponses(): { responses: ServedResponse[]; stop(): void } {
  const responses: ServedResponse[] = [];
  const chunks = new WeakMap<ServerResponse, Buffer[]>();
  type Method = (this: ServerResponse, ...args: unknown[]) => unknown;
  const proto = ServerResponse.prototype as unknown as { write: Method; end: Method };
  const originalWrite = proto.write;
  const originalEnd = proto.end;

  const keep = (response: ServerResponse, chunk: unknown, encoding: unknown) => {
    const buffer = toBuffer(chunk, encoding);
    if (!buffer) return;
    const list = chunks.get(response) ?? [];
    list.push(buffer);
    chunks.set(response, list);
  };

  proto.write = function (this: ServerResponse, ...args: unknown[]) {
    keep(this, args[0], args[1]);
    return originalWrite.apply(this, args);
  };
  proto.end = function (this: ServerResponse, ...args: unknown[]) {
    if (!this.writableEnded) {
      if (typeof args[0] !== 'function') keep(this, args[0], args[1]);
      const request = this.req ? `${this.req.method ?? '?'} ${this.req.url ?? '?'}` : '?';
      responses.push({ request, status: this.statusCode, body: Buffer.concat(chunks.get(this) ?? []).toString('utf8') });
      chunks.delete(this);
    }
    return originalEnd.apply(this, args);
  };

  return {
    responses,
    stop() {
      proto.write = originalWrite;
      proto.end = originalEnd;
    },
  };
}
