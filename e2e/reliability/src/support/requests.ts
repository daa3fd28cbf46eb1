import fc from 'fast-check';
import type { Operation, Schema } from './openapi';

/** How a fuzzed request authenticates. */
export type AuthMode = 'member' | 'admin' | 'none' | 'garbage' | 'alg-none';

export interface FuzzRequest {
  method: string;
  /** Path with parameters filled in and the query string, e.g. `/users/%24gt?q=a`. */
  url: string;
  auth: AuthMode;
  body?: { contentType?: string; text: string };
  /** What kind of hostile input this is, for the per-service tally and failure messages. */
  kind: string;
}

export interface FuzzContext {
  /** Ids that exist (a victim user), so path parameters sometimes hit real documents. */
  knownIds: string[];
}

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
/** Marks a prototype-pollution payload; no stored document may ever contain it. */
export const POLLUTION_MARKER = 'polluted-by-fuzz';

/** An object with an own enumerable key, even `__proto__` (a literal would set the prototype instead). */
export function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

const pollution = () => ({ polluted: POLLUTION_MARKER, roles: ['admin'], isAdmin: true, status: 'active' });

const protoPayload: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constantFrom(...PROTO_KEYS).map((key) => withKey({}, key, pollution())),
  fc.constant({ constructor: { prototype: pollution() } }),
);

const operatorPayload = fc.constantFrom<unknown>(
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(2000) || true' },
  { $regex: '.*', $options: 'si' },
  { $exists: true },
  { $in: ['admin', 'member'] },
  { $expr: { $eq: [1, 1] } },
  { $set: { roles: ['admin'] } },
  [{ $match: {} }],
);

export const hostileStrings = [
  '',
  ' ',
  '$gt',
  '{"$gt":""}',
  '__proto__',
  'constructor',
  'prototype',
  '../../../etc/passwd',
  '\u0000',
  'e\u0301\u0308',
  '🙂'.repeat(64),
  "'; db.dropDatabase(); //",
  '<script>alert(1)</script>',
  '1e309',
  '-1',
  'NaN',
  'null',
  'true',
  '000000000000000000000000',
  'ffffffffffffffffffffffffz',
  '.*',
  ' ADMIN ',
];

const hugeString = fc.integer({ min: 5_000, max: 60_000 }).map((n) => 'x'.repeat(n));

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1e308, 2 ** 53 + 1, -0.5, [], {}, [null], ['a', 'a']),
  operatorPayload,
  protoPayload,
  hugeString,
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.jsonValue({ maxDepth: 3 }),
);

const objectIdHex = fc.uint8Array({ minLength: 12, maxLength: 12 }).map((bytes) => Buffer.from(bytes).toString('hex'));
const isoDate = fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString());

/** A value of the schema's shape: the requests that get past validation and reach the database. */
function schemaValue(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.jsonValue({ maxDepth: 2 });
  const variants = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (variants?.length) return fc.oneof(...variants.map((s) => schemaValue(s, depth + 1)));
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'email') return fc.oneof(fc.emailAddress(), fc.constant('Fuzz.User@Example.COM'));
      if (schema.format === 'date-time' || schema.format === 'date') return isoDate;
      return fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('correct horse battery staple 42', 'Zoë', 'Ærø', 'a'), objectIdHex);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -5, max: schema.maximum ?? 500 });
    case 'number':
      return fc.double({ noNaN: true, min: -1e6, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fieldValue(schema.items, depth + 1), { maxLength: 3 });
    case 'object':
    default:
      if (!schema.properties) return fc.jsonValue({ maxDepth: 2 });
      return objectOf(schema, depth + 1);
  }
}

/** Mostly the right shape, often something hostile in its place. */
function fieldValue(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: schemaValue(schema, depth) }, { weight: 2, arbitrary: hostileValue });
}

const extraKey = fc.oneof(
  fc.constantFrom(...PROTO_KEYS, '$where', '$set', 'roles', 'role', 'isAdmin', '_id', 'id', 'status', 'secret', 'tokenHash', 'a.b', ''),
  fc.string({ maxLength: 12 }),
);

/** The schema's properties (each present or not) plus sometimes keys it does not declare. */
function objectOf(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(props).map(([key, s]) => [key, fieldValue(s, depth)]));
  return fc
    .tuple(
      fc.record(model, { requiredKeys: [] }),
      fc.array(fc.tuple(extraKey, hostileValue), { maxLength: 2 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .map(([record, extras, allRequired]) => {
      const out: Record<string, unknown> = {};
      // Often every declared field, so requests get past "x is required" and into the handler.
      const required = allRequired < 0.4 ? Object.keys(props) : [];
      for (const key of required) if (!(key in record)) record[key] = undefined;
      for (const [key, value] of Object.entries(record)) if (value !== undefined) withKey(out, key, value);
      for (const [key, value] of extras) withKey(out, key, value);
      return out;
    });
}

/** `{"a":{"a":…}}` or `[[[…]]]` as text: JSON.stringify would recurse. */
export function deeplyNested(depth: number, kind: 'object' | 'array' = 'object'): string {
  return kind === 'object' ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
}

export const malformedJson = [
  '{',
  '{"email": ',
  '{"a":1,}',
  "{'a':1}",
  'undefined',
  'NaN',
  '\u0000',
  '{"a":1}{"b":2}',
  '[',
  '"unterminated',
  '{"a":01}',
  '\uFEFF{}',
];

const formOperators =
  'email[$gt]=&password[$ne]=x&q[$regex]=.*&__proto__[polluted]=1&constructor[prototype][polluted]=1&roles[]=admin&status[$ne]=deleted';

/** Bodies by kind; `schema` is the operation's JSON body, when it has one. */
function bodyFor(schema: Schema | undefined): fc.Arbitrary<{ kind: string; body?: FuzzRequest['body'] }> {
  const shaped = schema ? schemaValue(schema) : fc.jsonValue({ maxDepth: 3 });
  const json = (kind: string, value: fc.Arbitrary<unknown>) =>
    value.map((v) => ({ kind, body: { contentType: 'application/json', text: JSON.stringify(v) ?? 'null' } }));
  return fc.oneof(
    { weight: 6, arbitrary: json('body', shaped) },
    { weight: 1, arbitrary: json('body-not-an-object', hostileValue) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 50, max: 1_000 }), fc.constantFrom<'object' | 'array'>('object', 'array'), fc.boolean())
        .map(([depth, shape, inField]) => {
          const nested = deeplyNested(depth, shape);
          return {
            kind: 'deep-json',
            body: { contentType: 'application/json', text: inField ? `{"email":${nested},"q":${nested}}` : nested },
          };
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...malformedJson)
        .map((text) => ({ kind: 'malformed-json', body: { contentType: 'application/json', text } })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 100_001, max: 300_000 }).map((n) => ({
        kind: 'oversized-body',
        body: { contentType: 'application/json', text: JSON.stringify({ email: 'x'.repeat(n) }) },
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/json; charset=utf-16',
            'multipart/form-data; boundary=fuzz',
            'application/xml',
            undefined,
          ),
          shaped,
        )
        .map(([contentType, value]) => ({
          kind: 'wrong-content-type',
          body: {
            contentType,
            text:
              contentType === 'application/x-www-form-urlencoded'
                ? formOperators
                : contentType === 'application/xml'
                  ? '<a>1</a>'
                  : (JSON.stringify(value) ?? ''),
          },
        })),
    },
  );
}

function queryValue(schema: Schema | undefined): fc.Arbitrary<string[]> {
  const one = fieldValue(schema).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')));
  // Repeated keys arrive as arrays even with the simple query parser.
  return fc.oneof({ weight: 4, arbitrary: one.map((v) => [v]) }, { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }) });
}

function queryFor(op: Operation): fc.Arbitrary<string> {
  const declared = Object.fromEntries(op.query.map((p) => [p.name, queryValue(p.schema)]));
  const extras = fc.array(
    fc.tuple(
      fc.constantFrom('q[$gt]', '$where', '__proto__[polluted]', 'constructor[prototype][polluted]', 'limit', 'after', 'sort'),
      fc.constantFrom(...hostileStrings),
    ),
    { maxLength: 2 },
  );
  return fc.tuple(fc.record(declared, { requiredKeys: [] }), extras).map(([params, more]) => {
    const search = new URLSearchParams();
    for (const [name, values] of Object.entries(params)) for (const v of values as string[]) search.append(name, v);
    for (const [name, value] of more) search.append(name, value);
    const text = search.toString();
    return text ? `?${text}` : '';
  });
}

function pathFor(op: Operation, ctx: FuzzContext): fc.Arbitrary<string> {
  if (op.pathParams.length === 0) return fc.constant(op.path);
  const value = fc.oneof(
    objectIdHex,
    fc.constantFrom(...ctx.knownIds, 'me'),
    fc.constantFrom(...hostileStrings.filter((s) => s !== '')),
    fc.string({ minLength: 1, maxLength: 20 }),
    fc.integer({ min: 3_000, max: 6_000 }).map((n) => 'a'.repeat(n)),
  );
  return fc.array(value, { minLength: op.pathParams.length, maxLength: op.pathParams.length }).map((values) => {
    let path = op.path;
    op.pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, encodeURIComponent(values[i] as string))));
    return path;
  });
}

const authMode = fc.constantFrom<AuthMode>('member', 'member', 'admin', 'admin', 'none', 'garbage', 'alg-none');

/** One random request to one of the service's operations. */
export function requestArbitrary(operations: Operation[], ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...operations).chain((op) => {
    const withBody = op.method !== 'GET';
    return fc
      .tuple(
        pathFor(op, ctx),
        queryFor(op),
        authMode,
        withBody ? bodyFor(op.body) : fc.constant({ kind: op.query.length ? 'query' : 'plain', body: undefined }),
      )
      .map(([path, query, auth, { kind, body }]) => ({ method: op.method, url: path + query, auth, body, kind }));
  });
}

/** Every operation gets each hostile kind at least once, whatever the random runs pick. */
export function corpusFor(op: Operation, ctx: FuzzContext): FuzzRequest[] {
  const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(ctx.knownIds[0] ?? '000000000000000000000000'));
  const req = (kind: string, body?: FuzzRequest['body'], url = path, auth: AuthMode = 'member'): FuzzRequest => ({
    method: op.method,
    url,
    auth,
    body,
    kind,
  });
  const list: FuzzRequest[] = [
    req('unauthenticated', undefined, path, 'none'),
    req('forged-token', undefined, path, 'alg-none'),
    req(
      'query-operators',
      undefined,
      `${path}?q%5B%24gt%5D=&__proto__%5Bpolluted%5D=1&${op.query.map((p) => `${encodeURIComponent(p.name)}=%7B%22%24gt%22%3A%22%22%7D`).join('&')}`,
    ),
    req('query-repeated', undefined, `${path}?${op.query.map((p) => `${p.name}=a&${p.name}=b`).join('&')}`),
    ...PROTO_KEYS.filter(() => op.pathParams.length > 0).map((key) => req('path-proto-key', undefined, op.path.replace(/\{[^}]+\}/g, key))),
  ];
  if (op.method !== 'GET') {
    const json = (kind: string, text: string, contentType = 'application/json') => req(kind, { contentType, text });
    const props = Object.keys(op.body?.properties ?? { email: {} });
    const every = (value: unknown) => JSON.stringify(Object.fromEntries(props.map((k) => [k, value])));
    list.push(
      ...PROTO_KEYS.map((key) => json('proto-key', `{"${key}":${JSON.stringify(pollution())},${every('x').slice(1)}`)),
      json('operators', every({ $gt: '' })),
      json('operators', every({ $where: 'sleep(2000) || true' })),
      json('deep-json', deeplyNested(1_000)),
      json('huge-string', every('x'.repeat(90_000 / Math.max(1, props.length)))),
      json('oversized-body', JSON.stringify({ a: 'x'.repeat(200_000) })),
      ...malformedJson.slice(0, 4).map((text) => json('malformed-json', text)),
      json('wrong-content-type', every('x'), 'text/plain'),
      json('wrong-content-type', formOperators, 'application/x-www-form-urlencoded'),
      json('wrong-content-type', every('x'), 'application/json; charset=utf-16'),
    );
  }
  return list;
}

export interface Tokens {
  member: string;
  admin: string;
}

const forged = (() => {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: '000000000000000000000000', roles: ['admin'], iss: 'directory-auth', aud: 'directory' })}.`;
})();

/** Sends a request; a timeout (a hang) rejects. Returns the status. */
export async function send(baseUrl: string, req: FuzzRequest, tokens: Tokens, timeoutMs = 60_000): Promise<number> {
  const headers: Record<string, string> = {};
  if (req.auth === 'member') headers['authorization'] = `Bearer ${tokens.member}`;
  if (req.auth === 'admin') headers['authorization'] = `Bearer ${tokens.admin}`;
  if (req.auth === 'garbage') headers['authorization'] = 'Bearer not.a.token';
  if (req.auth === 'alg-none') headers['authorization'] = `Bearer ${forged}`;
  if (req.body?.contentType) headers['content-type'] = req.body.contentType;
  const res = await fetch(baseUrl + req.url, {
    method: req.method,
    headers,
    body: req.body ? Buffer.from(req.body.text) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer();
  return res.status;
}

/** `POST /auth/login [malformed-json] {"email": …(12 chars)` */
export function describeRequest(req: FuzzRequest): string {
  const body = req.body
    ? ` ${req.body.contentType ?? '(no content-type)'} ${req.body.text.slice(0, 120)}${req.body.text.length > 120 ? `…(${req.body.text.length} chars)` : ''}`
    : '';
  const url = req.url.length > 200 ? `${req.url.slice(0, 200)}…(${req.url.length} chars)` : req.url;
  return `${req.method} ${url} [${req.kind}, auth=${req.auth}]${body}`;
}
