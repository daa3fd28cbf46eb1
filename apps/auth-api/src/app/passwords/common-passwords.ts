import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The common-password list of zxcvbn-ts (`@zxcvbn-ts/language-common`, ~49,000 entries,
 * ranked by frequency in breach corpora, all lowercase), maintained on npm rather than
 * typed in here (OWASP ASVS 5.0 6.2.4 asks for at least the top 3,000).
 */
export class CommonPasswords {
  private readonly passwords = new Set(dictionary['passwords-common']);

  get size(): number {
    return this.passwords.size;
  }

  /** Case-insensitive: "Password123" is as guessable as "password123". */
  includes(password: string): boolean {
    return this.passwords.has(password.toLowerCase());
  }
}
