import type { OpenAPIObject } from '@nestjs/swagger';
import { CURSOR_SCHEMA, makeDocumentPrecise, REFUSALS_EXTENSION } from './openapi-precision';

/** Issue 12 item 6 (ASVS 5.0 2.2.1: input validated against documented expectations). */
describe('makeDocumentPrecise', () => {
  function document(): OpenAPIObject {
    return {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/things/{id}': {
          patch: {
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/PatchDto' } } } },
            responses: {},
          },
        },
        '/things': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateDto' } } } },
            responses: {},
          },
          get: {
            parameters: [
              { name: 'limit', in: 'query', required: false, schema: { type: 'integer' } },
              { name: 'after', in: 'query', required: false, schema: { type: 'string' } },
            ],
            responses: {},
          },
        },
      },
      components: {
        schemas: {
          PatchDto: {
            type: 'object',
            properties: { name: { allOf: [{ $ref: '#/components/schemas/NamePatch' }] }, title: { type: 'string' } },
          },
          NamePatch: { type: 'object', properties: { first: { type: 'string' } } },
          CreateDto: { type: 'object', required: ['name'], properties: { name: { $ref: '#/components/schemas/Name' } } },
          Name: { type: 'object', required: ['first'], properties: { first: { type: 'string' } } },
          Answer: { type: 'object', properties: { ok: { type: 'boolean' } } },
        },
      },
    };
  }

  it('closes every object a request body can contain, and only those', () => {
    const schemas = makeDocumentPrecise(document()).components?.schemas as Record<string, Record<string, unknown>>;
    for (const name of ['PatchDto', 'NamePatch', 'CreateDto', 'Name']) expect(schemas[name]?.['additionalProperties']).toBe(false);
    expect(schemas['Answer']?.['additionalProperties']).toBeUndefined();
  });

  it('a PATCH body and its optional-only objects need at least one field; other bodies do not', () => {
    const schemas = makeDocumentPrecise(document()).components?.schemas as Record<string, Record<string, unknown>>;
    expect(schemas['PatchDto']?.['minProperties']).toBe(1);
    expect(schemas['NamePatch']?.['minProperties']).toBe(1);
    expect(schemas['CreateDto']?.['minProperties']).toBeUndefined();
  });

  it('query operations say unlisted parameters are refused; `after` gets the cursor shape and its declared refusal', () => {
    const get = makeDocumentPrecise(document()).paths['/things']?.get as unknown as Record<string, unknown>;
    expect(get['x-additionalQueryParameters']).toBe(false);
    expect(get['description']).toMatch(/not listed here are refused with 400/);
    const after = (get['parameters'] as { name: string; schema: unknown }[]).find((p) => p.name === 'after');
    expect(after?.schema).toEqual({ ...CURSOR_SCHEMA });
    expect(get[REFUSALS_EXTENSION]).toEqual([expect.objectContaining({ status: 400, code: 'invalid_cursor' })]);
  });

  it('is idempotent', () => {
    const once = makeDocumentPrecise(document());
    expect(makeDocumentPrecise(structuredClone(once))).toEqual(once);
  });
});
