import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import { AuthSettings } from '../auth-settings';
import { normalizePassword } from './password-policy';

/**
 * argon2id through node-argon2 (native). The parameters come from config and are recorded
 * in each hash (`$argon2id$v=19$m=..,t=..,p=..$`), so raising them later only needs
 * `needsRehash` on the next successful login.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly logger = new Logger('PasswordHasher');
  /** Hash of a random password, verified against when there is no real hash, to spend the same time. */
  private decoy = '';

  constructor(private readonly settings: AuthSettings) {}

  async onModuleInit(): Promise<void> {
    this.decoy = await this.hash(randomBytes(32).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return argon2.hash(normalizePassword(password), { type: argon2.argon2id, ...this.settings.argon2 });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      // bcrypt hashes only arrive through `npm run import` from another system, which hashed
      // the password as typed; they are replaced by argon2id at the first successful login.
      if (isBcrypt(hash)) return await bcrypt.compare(password, hash);
      return await argon2.verify(hash, normalizePassword(password));
    } catch {
      // An unreadable stored hash: refuse, and never log the hash itself.
      this.logger.error('a stored password hash could not be parsed');
      return false;
    }
  }

  /** True when a stored hash uses other parameters than the configured ones. */
  needsRehash(hash: string): boolean {
    return isBcrypt(hash) || argon2.needsRehash(hash, this.settings.argon2);
  }

  /** One full verification whose answer is ignored: unknown accounts cost as much time as known ones. */
  async spendDecoyVerification(password: string): Promise<void> {
    await this.verify(this.decoy, password);
  }
}

/** `$2a$`, `$2b$`, `$2x$`, `$2y$`: the bcrypt variants other systems export. */
export function isBcrypt(hash: string): boolean {
  return /^\$2[abxy]\$\d\d\$/.test(hash);
}
