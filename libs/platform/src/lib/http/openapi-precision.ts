import type { OpenAPIObject } from '@nestjs/swagger';

type Json = Record<string, unknown>;

/** The shape of every page cursor (`nextCursor`, passed back as `after`): base64url text. */
export const CURSOR_SCHEMA = { type: 'string', minLength: 1, maxLength: 1024, pattern: '^[A-Za-z0-9_-]+$' } as const;

/**
 * `pattern` of a trimmed text that may not be blank (`@Trim()` + `@IsNotEmpty()`): at least one
 * character String.prototype.trim keeps (U+FEFF named because not every regex engine counts it as space).
 */
export const NOT_BLANK = '[^\\s\\uFEFF]';

/**
 * The extension an operation uses to declare the refusals a schema cannot express: a request
 * that is valid by the schema may still be answered with these status/code pairs (a cursor
 * that is not one the service issued, `from` ≥ `to`, a manager that does not exist).
 * The contract test (tools/ci/contract-test.ts) counts every other 400 to a schema-valid
 * request as a defect.
 */
export const REFUSALS_EXTENSION = 'x-refusals';

export interface Refusal {
  status: number;
  code: string;
  when: string;
}

const UNKNOWN_QUERY_NOTE = 'Parameters not listed here are refused with 400 (`validation_failed`).';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refName(schema: unknown): string | undefined {
  if (!isObject(schema)) return undefined;
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) return ref.slice('#/components/schemas/'.length);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length === 1) return refName(list[0]);
  }
  return undefined;
}

/** Every object schema a request body can contain gets `additionalProperties: false` (the global ValidationPipe's forbidNonWhitelisted). */
function closeObject(schemas: Json, schema: unknown, seen: Set<unknown>): void {
  const name = refName(schema);
  const target = name ? schemas[name] : schema;
  if (!isObject(target) || seen.has(target)) return;
  seen.add(target);
  const properties = target['properties'];
  if (isObject(properties) || target['type'] === 'object') {
    target['type'] ??= 'object';
    target['additionalProperties'] ??= false;
  }
  if (isObject(properties)) for (const property of Object.values(properties)) closeObject(schemas, property, seen);
  if (isObject(target['items'])) closeObject(schemas, target['items'], seen);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    const list = target[key];
    if (Array.isArray(list)) for (const item of list) closeObject(schemas, item, seen);
  }
}

/** A PATCH body and every object in it without required properties needs at least one field (an empty patch is refused). */
function requireAField(schemas: Json, schema: unknown, seen: Set<unknown>): void {
  const name = refName(schema);
  const target = name ? schemas[name] : schema;
  if (!isObject(target) || seen.has(target)) return;
  seen.add(target);
  const properties = target['properties'];
  if (!isObject(properties)) return;
  const required = Array.isArray(target['required']) ? target['required'] : [];
  if (required.length === 0) target['minProperties'] ??= 1;
  for (const property of Object.values(properties)) requireAField(schemas, property, seen);
}

/**
 * Makes a generated OpenAPI document say exactly what the services accept, for every
 * operation of every service at once (issue 12 item 6, ASVS 5.0 2.2.1 documented
 * input):
 * - request bodies: `additionalProperties: false` on every object, `minProperties: 1` on
 *   PATCH bodies and the objects in them (an empty patch is refused);
 * - query parameters: the operation says that unlisted ones are refused (OpenAPI 3.0 has no
 *   `additionalProperties` for a parameter list; `x-additionalQueryParameters: false` states it
 *   for tools);
 * - `after`: the cursor shape (CURSOR_SCHEMA), and the refusal of a cursor the service did not
 *   issue declared under `x-refusals`.
 * Constraints between parameters (ids with filters, from < to) are documented by the
 * controllers with the same `x-refusals` extension.
 */
export function makeDocumentPrecise(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Json;
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(pathItem as Json)) {
      if (!isObject(operation) || !['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(method)) continue;
      const content = isObject(operation['requestBody']) ? operation['requestBody']['content'] : undefined;
      if (isObject(content)) {
        for (const media of Object.values(content)) {
          if (!isObject(media)) continue;
          closeObject(schemas, media['schema'], new Set());
          const name = refName(media['schema']);
          const body = name ? schemas[name] : media['schema'];
          if (method === 'patch') requireAField(schemas, body, new Set());
        }
      }
      const parameters = Array.isArray(operation['parameters']) ? (operation['parameters'] as Json[]) : [];
      const query = parameters.filter((p) => p['in'] === 'query');
      if (query.length === 0) continue;
      operation['x-additionalQueryParameters'] = false;
      const description = typeof operation['description'] === 'string' ? operation['description'] : '';
      if (!description.includes(UNKNOWN_QUERY_NOTE))
        operation['description'] = description ? `${description} ${UNKNOWN_QUERY_NOTE}` : UNKNOWN_QUERY_NOTE;
      const after = query.find((p) => p['name'] === 'after');
      if (after) {
        after['schema'] = { ...(isObject(after['schema']) ? after['schema'] : {}), ...CURSOR_SCHEMA };
        const refusals = (Array.isArray(operation[REFUSALS_EXTENSION]) ? operation[REFUSALS_EXTENSION] : []) as Refusal[];
        if (!refusals.some((r) => r.code === 'invalid_cursor')) {
          refusals.push({
            status: 400,
            code: 'invalid_cursor',
            when: '`after` is not a `nextCursor` this service issued (edited, truncated or made up)',
          });
        }
        operation[REFUSALS_EXTENSION] = refusals;
      }
    }
  }
  return document;
}
