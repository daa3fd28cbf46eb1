import argon2 from 'argon2';
import { passwordHashScheme } from './password-hash';

// A real bcrypt hash (cost 10) of "password", in the three prefixes bcrypt implementations write.
const BCRYPT_HASH = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';

describe('passwordHashScheme', () => {
  it('recognizes argon2id and argon2i PHC strings', async () => {
    expect(passwordHashScheme(await argon2.hash('secret-password', { type: argon2.argon2id }))).toBe('argon2id');
    expect(passwordHashScheme(await argon2.hash('secret-password', { type: argon2.argon2i }))).toBe('argon2i');
  });

  it('refuses argon2d, which is not meant for passwords', async () => {
    expect(passwordHashScheme(await argon2.hash('secret-password', { type: argon2.argon2d }))).toBeUndefined();
  });

  it('recognizes bcrypt $2a$, $2b$ and $2y$', () => {
    for (const prefix of ['$2a$', '$2b$', '$2y$']) expect(passwordHashScheme(prefix + BCRYPT_HASH.slice(4))).toBe('bcrypt');
  });

  it('refuses plaintext, truncated hashes and other schemes', () => {
    for (const value of [
      'hunter22',
      BCRYPT_HASH.slice(0, -1),
      '$2x$10$' + BCRYPT_HASH.slice(7),
      '$1$abc$def',
      '{SSHA}abc',
      '$argon2id$v=19$m=1,t=1,p=1$$',
    ]) {
      expect(passwordHashScheme(value)).toBeUndefined();
    }
  });
});

describe('passwordHashScheme parameter order', () => {
  it('accepts m, t, p in any order, each exactly once', () => {
    const tail = '$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNo';
    expect(passwordHashScheme(`$argon2id$v=19$m=65536,t=3,p=4${tail}`)).toBe('argon2id');
    expect(passwordHashScheme(`$argon2i$v=19$m=65536,p=4,t=3${tail}`)).toBe('argon2i');
    expect(passwordHashScheme(`$argon2id$v=19$m=65536,m=3,p=4${tail}`)).toBeUndefined();
  });
});
