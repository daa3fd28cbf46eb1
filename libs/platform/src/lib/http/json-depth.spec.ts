import { mapError } from '../errors/map-error';
import { JSON_PARSE_FAILED, MAX_JSON_DEPTH, jsonNestingDepth, keepJsonParseFailure, refuseDeepJson } from './json-depth';

describe('jsonNestingDepth', () => {
  it.each([
    ['{}', 1],
    ['{"a":[1,{"b":2}]}', 3],
    ['"[[[[{{{"', 0],
    ['{"a":"\\"[[[["}', 1],
    ['[[],[[]]]', 3],
  ])('%s → %d', (text, depth) => {
    expect(jsonNestingDepth(text)).toBe(depth);
  });

  it('refuses a body nested deeper than the limit with a 400, accepts one at the limit', () => {
    const nested = (n: number) => Buffer.from('['.repeat(n) + ']'.repeat(n));
    expect(() => refuseDeepJson(undefined, undefined, nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => refuseDeepJson(undefined, undefined, nested(10_000))).toThrow(
      expect.objectContaining({ status: 400, message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` }),
    );
  });
});

describe('keepJsonParseFailure', () => {
  const passedOn = (error: unknown): unknown => {
    let next: unknown = 'not called';
    keepJsonParseFailure(error, undefined, undefined, (e) => (next = e));
    return next;
  };

  it("re-raises body-parser's SyntaxError as a plain error, so mapError answers malformed_json without quoting the body", () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token \'s\', "secret" is not valid JSON'), {
      status: 400,
      type: JSON_PARSE_FAILED,
    });
    const error = passedOn(parseError);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect(mapError(error).body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Malformed JSON body', code: 'malformed_json' });
  });

  it('passes any other error on unchanged', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
    expect(passedOn(tooLarge)).toBe(tooLarge);
  });
});
