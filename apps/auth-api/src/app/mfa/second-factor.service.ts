import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuardErrorCode, type AuthenticatedUser } from '@directory/auth';
import { CredentialsRepository, TokenPurpose } from '@directory/credentials';
import { UsersRepository, type LoginState } from '@directory/data-access';
import { PlatformErrorCode } from '@directory/platform';
import { UserStatus } from '@directory/schemas';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { Types } from 'mongoose';
import { AuthErrorCode, TooManyAttemptsException } from '../account/account-errors';
import type { TokenPairDto } from '../account/dto/token-pair.dto';
import { Login } from '../account/login.service';
import { Clock } from '../clock';
import { Factors } from '../factors/factors.service';
import { retryAfterSeconds } from '../lockout/lockout-policy';
import { LoginLedger } from '../lockout/login-ledger';
import { OneTimeTokens, tokenErrors } from '../one-time-tokens/one-time-tokens.service';
import { challengeTokenOf, Passkeys } from '../passkeys/passkeys.service';
import { SessionsService, type ClientInfo } from '../sessions/sessions.service';
import { AccessTokens } from '../tokens/access-tokens';
import type { MfaVerifyDto, SecondFactorDto, StepUpResultDto } from './dto/mfa.dto';

/** RFC 8176: a one-time code (TOTP or recovery code), and that more than one factor was used. */
const ONE_TIME_CODE_AMR = ['otp', 'mfa'] as const;
const UNKNOWN_SOURCE = 'unknown';

function invalidAccessToken(): UnauthorizedException {
  return new UnauthorizedException({ message: 'The access token is no longer valid', code: AuthGuardErrorCode.InvalidToken });
}

function invalidSecondFactor(): UnauthorizedException {
  return new UnauthorizedException({ message: 'The code is not valid', code: AuthErrorCode.InvalidSecondFactor });
}

type Factor =
  | { kind: 'totp'; code: string }
  | { kind: 'recovery_code'; code: string }
  | { kind: 'webauthn'; response: AuthenticationResponseJSON; challenge: string };

/** `challenge`: what a passkey must have signed (the login challenge; for step-up, the token its clientDataJSON carries). */
function factorOf(input: SecondFactorDto, challenge?: string): Factor {
  // @IsOptional() lets null through: null counts as not sent, so `{webauthn: null}` is a 400, never a 500.
  const sent = [input.totp, input.recoveryCode, input.webauthn].filter((value) => value != null).length;
  if (sent !== 1) {
    throw new BadRequestException({
      message: 'Send exactly one of totp, recoveryCode and webauthn',
      code: PlatformErrorCode.ValidationFailed,
    });
  }
  if (input.totp != null) return { kind: 'totp', code: input.totp };
  if (input.recoveryCode != null) return { kind: 'recovery_code', code: input.recoveryCode };
  const response = input.webauthn as AuthenticationResponseJSON;
  return { kind: 'webauthn', response, challenge: challenge ?? challengeTokenOf(response) };
}

/**
 * The second step of a login, and a step-up within a session. Every attempt goes through the
 * failure ledger under the user's email and the caller's address, like a password guess: the
 * right password leaves its attempt counted until the second factor succeeds, so a thief with
 * the password gets a handful of code guesses per window (pair), twenty over all addresses
 * (email), never a thousand.
 */
@Injectable()
export class SecondFactor {
  constructor(
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly methods: CredentialsRepository,
    private readonly factors: Factors,
    private readonly ledger: LoginLedger,
    private readonly tokens: OneTimeTokens,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokens,
    private readonly passkeys: Passkeys,
    private readonly login: Login,
  ) {}

  async verify(input: MfaVerifyDto, client: ClientInfo): Promise<TokenPairDto> {
    const factor = factorOf(input, input.challenge);
    const now = this.clock.now();
    const stored = await this.tokens.inspect(input.challenge, TokenPurpose.MfaChallenge, now);
    const user = await this.users.findLoginState(stored.userId);
    if (!user || user.status !== UserStatus.Active || user.email !== stored.binding.email) throw tokenErrors.stale();
    const passwordChangedAt = await this.methods.passwordChangedAt(user._id);
    if ((passwordChangedAt?.getTime() ?? null) !== (stored.binding.passwordChangedAt?.getTime() ?? null)) throw tokenErrors.stale();

    const keys = this.ledger.keys(user.email, client.ip ?? UNKNOWN_SOURCE);
    const amr = await this.checkFactor(user, factor, keys, now);
    await this.tokens.redeem(stored, now);
    return this.login.signIn(user, client, now, { amr: ['pwd', ...amr], authTime: now });
  }

  /** A challenge for a passkey step-up (POST /auth/mfa/step-up/options), bound to the caller. */
  stepUpOptions(caller: AuthenticatedUser): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.passkeys.stepUpOptions(new Types.ObjectId(caller.id), this.clock.now());
  }

  /** A fresh factor inside the caller's session: its next access tokens carry `auth_time` = now. */
  async stepUp(caller: AuthenticatedUser, input: SecondFactorDto, client: ClientInfo): Promise<StepUpResultDto> {
    const factor = factorOf(input);
    const now = this.clock.now();
    const user = await this.users.findLoginState(new Types.ObjectId(caller.id));
    if (!user || user.status !== UserStatus.Active || !caller.sessionId) throw invalidAccessToken();
    // A passkey answers a step-up challenge of this very user (one use: redeemed once the factor checks out).
    const challenge = factor.kind === 'webauthn' ? await this.tokens.inspect(factor.challenge, TokenPurpose.PasskeyStepUp, now) : null;
    if (challenge && !challenge.userId.equals(user._id)) throw tokenErrors.invalid();
    const factorAmr = await this.checkFactor(user, factor, this.ledger.keys(user.email, client.ip ?? UNKNOWN_SOURCE), now);
    if (challenge) await this.tokens.redeem(challenge, now);
    const amr = [...new Set([...(caller.amr ?? ['pwd']), ...factorAmr])];
    const authentication = { amr, authTime: now };
    if (!(await this.sessions.recordAuthentication(user._id, caller.sessionId, authentication))) throw invalidAccessToken();
    const access = this.accessTokens.issue(user, caller.sessionId, now, authentication);
    return { ...access, tokenType: 'Bearer' };
  }

  /** The factor's RFC 8176 amr values, or 401 invalid_second_factor (counted by the lockout like a wrong password). */
  private async checkFactor(user: LoginState, factor: Factor, keys: ReturnType<LoginLedger['keys']>, now: Date): Promise<string[]> {
    const admission = await this.ledger.admit(keys, now);
    if (admission.outcome === 'locked') throw new TooManyAttemptsException(retryAfterSeconds(admission.lockedUntil, now));
    const amr = await this.factorAmr(user, factor, now);
    if (!amr) throw invalidSecondFactor();
    await this.ledger.succeeded(keys);
    return amr;
  }

  private async factorAmr(user: LoginState, factor: Factor, now: Date): Promise<string[] | null> {
    switch (factor.kind) {
      case 'totp':
        return (await this.factors.verifyTotp(user._id, factor.code, now)) ? [...ONE_TIME_CODE_AMR] : null;
      case 'recovery_code':
        return (await this.factors.useRecoveryCode(user._id, factor.code, now)) ? [...ONE_TIME_CODE_AMR] : null;
      case 'webauthn': {
        // A second factor after the password: user presence is enough (userVerification 'preferred').
        const expected = { challenge: factor.challenge, userId: user._id, requireUserVerification: false };
        const assertion = await this.passkeys.verifyAssertion(factor.response, expected, now);
        return assertion ? [assertion.amr, 'mfa'] : null;
      }
    }
  }
}
