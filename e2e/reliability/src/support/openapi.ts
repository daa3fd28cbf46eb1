/** The slice of OpenAPI 3 the fuzzer reads: operations, their parameters and JSON body schema. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  example?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  method: string;
  /** OpenAPI template, e.g. `/users/{id}`. */
  path: string;
  pathParams: Parameter[];
  query: Parameter[];
  /** The `application/json` body schema with every `$ref` resolved, when the operation has one. */
  body?: Schema;
}

interface Document {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every operation a service documents at GET /docs/openapi.json, so new endpoints are fuzzed without listing them. */
export async function loadOperations(baseUrl: string): Promise<Operation[]> {
  const res = await fetch(`${baseUrl}/docs/openapi.json`, { signal: AbortSignal.timeout(30_000) });
  if (res.status !== 200) throw new Error(`${baseUrl}/docs/openapi.json → ${res.status}`);
  return operationsOf((await res.json()) as Document);
}

export function operationsOf(doc: Document): Operation[] {
  const schemas = doc.components?.schemas ?? {};
  const resolve = (schema: Schema | undefined, depth = 0): Schema | undefined => {
    if (!schema || depth > 8) return schema;
    if (schema.$ref) return resolve(schemas[schema.$ref.replace('#/components/schemas/', '')], depth + 1);
    const out: Schema = { ...schema };
    if (schema.properties) {
      out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, depth + 1) ?? {}]));
    }
    if (schema.items) out.items = resolve(schema.items, depth + 1);
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
      if (schema[key]) out[key] = schema[key]?.map((s) => resolve(s, depth + 1) ?? {});
    }
    return out;
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const params = (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) }));
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        query: params.filter((p) => p.in === 'query'),
        body: resolve(op.requestBody?.content?.['application/json']?.schema),
      });
    }
  }
  return operations;
}
