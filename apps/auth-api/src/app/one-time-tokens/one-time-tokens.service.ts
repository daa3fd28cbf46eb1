import { BadRequestException, Injectable } from '@nestjs/common';
import { OneTimeTokensRepository, type StoredOneTimeToken, type TokenBinding, type TokenPurpose } from '@directory/credentials';
import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Refusal } from '@directory/platform';
import { AuthErrorCode } from '../account/account-errors';

/** 256 random bits, base64url: 43 characters. */
export const ONE_TIME_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface MintRequest {
  purpose: TokenPurpose;
  userId: Types.ObjectId;
  binding: TokenBinding;
  ttlSeconds: number;
  newEmail?: string;
  messageId?: Types.ObjectId;
}

function tokenRefused(code: AuthErrorCode, message: string): BadRequestException {
  return new BadRequestException({ message, code });
}

/** Refusals of schema-valid bodies: what a token is can only be known by looking it up. */
export const TOKEN_REFUSALS: Refusal[] = [
  { status: 400, code: AuthErrorCode.TokenInvalid, when: 'no token like it was ever issued (altered, truncated, made up)' },
  { status: 400, code: AuthErrorCode.TokenWrongPurpose, when: 'the token was issued for another flow' },
  { status: 400, code: AuthErrorCode.TokenExpired, when: 'the token is past its lifetime' },
  { status: 400, code: AuthErrorCode.TokenUsed, when: 'the token was already redeemed' },
  { status: 400, code: AuthErrorCode.TokenStale, when: 'the account changed since the token was issued' },
];

export const tokenErrors = {
  invalid: () => tokenRefused(AuthErrorCode.TokenInvalid, 'This link is not valid'),
  wrongPurpose: () => tokenRefused(AuthErrorCode.TokenWrongPurpose, 'This link is for something else'),
  expired: () => tokenRefused(AuthErrorCode.TokenExpired, 'This link has expired; ask for a new one'),
  used: () => tokenRefused(AuthErrorCode.TokenUsed, 'This link was already used'),
  stale: () => tokenRefused(AuthErrorCode.TokenStale, 'This link is no longer valid: the account changed since it was sent'),
};

/**
 * The one kind of single-use token every mail flow uses: minted when its message is sent
 * (the raw token exists only in that mail), stored as a SHA-256 hash, bound to a purpose, a
 * user and the state it was issued for, and redeemed by a unique insert (exactly one of any
 * number of concurrent uses wins, on every backend).
 */
@Injectable()
export class OneTimeTokens {
  constructor(private readonly tokens: OneTimeTokensRepository) {}

  /** A fresh token; only its hash is stored. */
  async mint(request: MintRequest, now: Date): Promise<string> {
    return this.insert(request, now);
  }

  /** A token bound to nobody (passkey-sign-in: the passkey names the user later). */
  async mintUnbound(request: { purpose: TokenPurpose; ttlSeconds: number }, now: Date): Promise<string> {
    return this.insert(request, now);
  }

  /**
   * The stored token behind `token`, if it may still be redeemed for `purpose`: known (an
   * altered token matches no hash), of this purpose, not expired, not yet used. The caller
   * then checks the binding against the account's current state, and only then `redeem`s.
   */
  async inspect(token: string, purpose: TokenPurpose, now: Date): Promise<StoredOneTimeToken> {
    const stored = ONE_TIME_TOKEN_PATTERN.test(token) ? await this.tokens.findByHash(hashOneTimeToken(token)) : null;
    if (!stored) throw tokenErrors.invalid();
    if (stored.purpose !== purpose) throw tokenErrors.wrongPurpose();
    if (stored.expiresAt.getTime() <= now.getTime()) throw tokenErrors.expired();
    if (await this.tokens.isRedeemed(stored._id)) throw tokenErrors.used();
    return stored;
  }

  /** Uses the token up; of concurrent callers exactly one gets past this, the rest get token_used. */
  async redeem(stored: StoredOneTimeToken, now: Date): Promise<void> {
    if (!(await this.tokens.redeem(stored, now))) throw tokenErrors.used();
  }

  private async insert(request: Omit<MintRequest, 'userId' | 'binding'> & Partial<Pick<MintRequest, 'userId' | 'binding'>>, now: Date) {
    const token = randomBytes(32).toString('base64url');
    await this.tokens.insert({
      purpose: request.purpose,
      userId: request.userId,
      hash: hashOneTimeToken(token),
      binding: request.binding,
      newEmail: request.newEmail ?? null,
      messageId: request.messageId ?? null,
      expiresAt: new Date(now.getTime() + request.ttlSeconds * 1000),
      createdAt: now,
    });
    return token;
  }
}
