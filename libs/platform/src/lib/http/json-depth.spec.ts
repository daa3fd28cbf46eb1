import { MAX_JSON_DEPTH, jsonNestingDepth, refuseDeepJson } from './json-depth';

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
