import { BadRequestException, HttpException } from '@nestjs/common';
import { optionalVersion, requiredVersion, versionTag } from './if-match';

describe('If-Match versions', () => {
  it('read quoted and bare versions', () => {
    expect(requiredVersion('"3"')).toBe(3);
    expect(requiredVersion(' 12 ')).toBe(12);
    expect(requiredVersion(versionTag(7))).toBe(7);
  });

  it('428 when missing, 400 when not one version', () => {
    expect(() => requiredVersion(undefined)).toThrow(HttpException);
    expect(optionalVersion(undefined)).toBeUndefined();
    for (const bad of ['*', 'W/"3"', '"3", "4"', '"-1"', '"abc"', '', '"1e3"']) {
      expect(() => requiredVersion(bad)).toThrow(BadRequestException);
    }
  });
});
