/** Password hash formats the import accepts as they are (no plaintext passwords, ever). */
export type HashScheme = 'argon2id' | 'argon2i' | 'bcrypt';

// PHC string: $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>; implementations order the
// parameters differently (node-argon2 writes m,p,t), so any order of the three is accepted.
const ARGON2 =
  /^\$(argon2id|argon2i)\$v=(16|19)\$((?:[mtp]=\d{1,10},){2}[mtp]=\d{1,10})\$[A-Za-z0-9+/]{8,}={0,2}\$[A-Za-z0-9+/]{16,}={0,2}$/;
// Modular crypt format of bcrypt: $2b$12$ + 22 characters of salt + 31 of hash, cost 04-31.
const BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

export const ACCEPTED_HASHES = 'argon2 ($argon2id$, $argon2i$) or bcrypt ($2a$, $2b$, $2y$)';

/**
 * Which scheme a stored hash uses, or `undefined` if it is none we accept. The hash is stored
 * unchanged with `needsRehash: true`: auth-api verifies it with the scheme's library at the next
 * login and replaces it with its current argon2id parameters. argon2d is refused (not meant for
 * passwords), and so is anything that looks like a plaintext password.
 */
export function passwordHashScheme(value: string): HashScheme | undefined {
  const argon2 = ARGON2.exec(value);
  if (argon2) {
    const names = (argon2[3] ?? '')
      .split(',')
      .map((param) => param[0])
      .sort()
      .join('');
    return names === 'mpt' ? (argon2[1] as HashScheme) : undefined;
  }
  return BCRYPT.test(value) ? 'bcrypt' : undefined;
}
