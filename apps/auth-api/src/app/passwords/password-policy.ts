import { BadRequestException, Injectable } from '@nestjs/common';
import { CommonPasswords } from './common-passwords';
import { AuthErrorCode } from '../account/account-errors';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Passwords are compared and hashed in Unicode NFKC (NIST SP 800-63B §3.1.1.2), so the
 * same password typed on two keyboards that encode "é" differently still matches.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Length in characters as a person counts them (code points), not UTF-16 units. */
export function passwordLength(password: string): number {
  return [...normalizePassword(password)].length;
}

/**
 * OWASP ASVS 5.0 6.2.1 (at least 10 characters... here at most 128), 6.2.9 (any characters,
 * no composition rules) and 6.2.4 (not a common password); and not the account's email.
 */
@Injectable()
export class PasswordPolicy {
  private readonly common = new CommonPasswords();

  problems(password: string, email: string): string[] {
    const problems: string[] = [];
    const length = passwordLength(password);
    if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
      problems.push(`password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`);
    }
    const normalized = normalizePassword(password);
    if (normalized.trim().toLowerCase() === email.trim().toLowerCase()) {
      problems.push('password must not be the email address');
    }
    if (this.common.includes(normalized)) {
      problems.push('password is too common; choose one that is not on lists of breached passwords');
    }
    return problems;
  }

  /** 400 listing every problem, so the client can show them all at once. */
  assertAcceptable(password: string, email: string): void {
    const problems = this.problems(password, email);
    if (problems.length > 0) throw new BadRequestException({ message: problems, code: AuthErrorCode.WeakPassword });
  }
}
