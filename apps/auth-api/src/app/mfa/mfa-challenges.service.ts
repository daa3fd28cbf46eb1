import { Injectable } from '@nestjs/common';
import { CredentialsRepository, TokenPurpose } from '@directory/credentials';
import type { LoginState } from '@directory/data-access';
import { SecondFactorType } from '@directory/schemas';
import { Factors } from '../factors/factors.service';
import { OneTimeTokens } from '../one-time-tokens/one-time-tokens.service';
import { Passkeys } from '../passkeys/passkeys.service';
import type { MfaChallengeDto } from './dto/mfa.dto';

/** How long the second step of a login may take. */
export const MFA_CHALLENGE_TTL_SECONDS = 300;
/** Factors that make a login two-step; recovery codes alone are a fallback, not a factor. */
const LOGIN_FACTORS = new Set(['totp', 'webauthn']);

/**
 * The challenge a login with a second factor answers instead of tokens: a single-use token
 * (libs/credentials, hash only) bound to the user, their email and the password it checked
 * (`passwordChangedAt`), valid five minutes.
 */
@Injectable()
export class MfaChallenges {
  constructor(
    private readonly factors: Factors,
    private readonly methods: CredentialsRepository,
    private readonly tokens: OneTimeTokens,
    private readonly passkeys: Passkeys,
  ) {}

  /** Null when the account has no second factor (the login completes with the password). */
  async challengeFor(user: Pick<LoginState, '_id' | 'email'>, now: Date): Promise<MfaChallengeDto | null> {
    const methods = await this.factors.activeMethods(user._id);
    if (!methods.some((method) => LOGIN_FACTORS.has(method))) return null;
    const passwordChangedAt = await this.methods.passwordChangedAt(user._id);
    const challenge = await this.tokens.mint(
      {
        purpose: TokenPurpose.MfaChallenge,
        userId: user._id,
        binding: { email: user.email, passwordChangedAt: passwordChangedAt ?? null },
        ttlSeconds: MFA_CHALLENGE_TTL_SECONDS,
      },
      now,
    );
    const answer: MfaChallengeDto = { mfaRequired: true, challenge, methods, expiresIn: MFA_CHALLENGE_TTL_SECONDS };
    // The challenge itself is the WebAuthn challenge: one token, one use, whichever factor answers it.
    if (methods.includes(SecondFactorType.WebAuthn)) answer.webauthn = await this.passkeys.requestOptions(challenge, user._id, 'preferred');
    return answer;
  }
}
