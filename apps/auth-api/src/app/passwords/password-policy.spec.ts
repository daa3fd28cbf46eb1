import { CommonPasswords } from './common-passwords';
import { normalizePassword, passwordLength, PasswordPolicy } from './password-policy';

describe('PasswordPolicy (OWASP ASVS 5.0 6.2.1, 6.2.4, 6.2.9)', () => {
  const policy = new PasswordPolicy();
  const email = 'ada@example.com';

  it('uses a maintained list of far more than the top 3,000 common passwords', () => {
    expect(new CommonPasswords().size).toBeGreaterThan(3_000);
  });

  it('accepts 10 to 128 characters of anything, with no composition rules', () => {
    expect(policy.problems('correcthorse', email)).toEqual([]);
    expect(policy.problems('ten chars!', email)).toEqual([]);
    expect(policy.problems('x'.repeat(128), email)).toEqual([]);
    expect(policy.problems('пароль для теста', email)).toEqual([]);
    expect(policy.problems('          ', email)).toEqual([]);
  });

  it('refuses fewer than 10 or more than 128 characters, counted as code points', () => {
    expect(policy.problems('nine char', email)).toEqual([expect.stringMatching(/10 to 128/)]);
    expect(policy.problems('x'.repeat(129), email)).toEqual([expect.stringMatching(/10 to 128/)]);
    expect(passwordLength('🔑'.repeat(10))).toBe(10);
    expect(policy.problems('🔑'.repeat(9), email)).toEqual([expect.stringMatching(/10 to 128/)]);
    expect(policy.problems('🔑'.repeat(65), email)).toEqual([]); // 130 UTF-16 units, 65 characters
  });

  it('refuses common passwords whatever their case', () => {
    for (const common of ['password123', 'Password123', 'QWERTYUIOP', '1234567890', 'iloveyou12']) {
      expect(policy.problems(common, email)).toContainEqual(expect.stringMatching(/too common/));
    }
  });

  it('refuses the email address as password', () => {
    expect(policy.problems('Ada@Example.com', email)).toEqual([expect.stringMatching(/email/)]);
  });

  it('normalizes to NFKC, so composed and decomposed input are one password', () => {
    expect(normalizePassword('caf\u0065\u0301 au lait')).toBe(normalizePassword('caf\u00e9 au lait'));
  });

  it('assertAcceptable throws a 400 listing every problem', () => {
    expect(() => policy.assertAcceptable('short', email)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
