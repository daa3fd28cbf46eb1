import { isEmail } from 'class-validator';
import { EMAIL_INPUT_PATTERN, emailInputAgrees } from './email-input';

describe('EMAIL_INPUT_PATTERN (OpenAPI) agrees with @IsEmail()', () => {
  const pattern = new RegExp(EMAIL_INPUT_PATTERN);

  it.each(['ada@example.com', 'a.b+c@x-y.example.org', "o'brien@acme.io", '0@0.ab', 'x@sub.domain.museum'])('accepts %s', (value) => {
    expect(pattern.test(value)).toBe(true);
    expect(isEmail(value)).toBe(true);
  });

  it.each(['0@0.a', 'a..b@x.yz', '.a@x.yz', 'a@-x.yz', 'a@x_y.zz', 'a@x.y2', 'a@localhost', 'no-at.example.com'])(
    'refuses %s, as IsEmail does',
    (value) => {
      expect(pattern.test(value)).toBe(false);
      expect(emailInputAgrees(value)).toBe(true);
    },
  );

  it('is stricter only where IsEmail is lenient (quoted local parts): whatever it accepts, IsEmail accepts', () => {
    expect(pattern.test('"a b"@x.yz')).toBe(false);
    expect(isEmail('"a b"@x.yz')).toBe(true);
  });
});
