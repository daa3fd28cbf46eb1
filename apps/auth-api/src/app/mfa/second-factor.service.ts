import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuardErrorCode, type AuthenticatedUser } from '@directory/auth';
import { CredentialsRepository, TokenPurpose } from '@directory/credentials';
import { UsersRepository, type LoginState } from '@directory/data-access';
import { PlatformErrorCode } from '@directory/platform';
import { UserStatus } from '@directory/schemas';
import { Types } from 'mongoose';
import { AuthErrorCode, TooManyAttemptsException } from '../account/account-errors';
import type { TokenPairDto } from '../account/dto/token-pair.dto';
import { SessionTokens } from '../account/session-tokens.service';
import { Clock } from '../clock';
import { AuthEvents } from '../events/auth-events.service';
import { Factors } from '../factors/factors.service';
import { retryAfterSeconds } from '../lockout/lockout-policy';
import { LoginLedger } from '../lockout/login-ledger';
import { OneTimeTokens, tokenErrors } from '../one-time-tokens/one-time-tokens.service';
import { SessionsService, type ClientInfo } from '../sessions/sessions.service';
import { AccessTokens } from '../tokens/access-tokens';
import type { MfaVerifyDto, SecondFactorDto, StepUpResultDto } from './dto/mfa.dto';

/** RFC 8176: a one-time code (TOTP or recovery code), and that more than one factor was used. */
const SECOND_FACTOR_AMR = ['otp', 'mfa'] as const;
const UNKNOWN_SOURCE = 'unknown';

function invalidAccessToken(): UnauthorizedException {
  return new UnauthorizedException({ message: 'The access token is no longer valid', code: AuthGuardErrorCode.InvalidToken });
}

function invalidSecondFactor(): UnauthorizedException {
  return new UnauthorizedException({ message: 'The code is not valid', code: AuthErrorCode.InvalidSecondFactor });
}

type Factor = { kind: 'totp'; code: string } | { kind: 'recovery_code'; code: string };

function factorOf(input: SecondFactorDto): Factor {
  if (input.totp !== undefined && input.recoveryCode === undefined) return { kind: 'totp', code: input.totp };
  if (input.recoveryCode !== undefined && input.totp === undefined) return { kind: 'recovery_code', code: input.recoveryCode };
  throw new BadRequestException({ message: 'Send exactly one of totp and recoveryCode', code: PlatformErrorCode.ValidationFailed });
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
    private readonly sessionTokens: SessionTokens,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokens,
    private readonly events: AuthEvents,
  ) {}

  async verify(input: MfaVerifyDto, client: ClientInfo): Promise<TokenPairDto> {
    const factor = factorOf(input);
    const now = this.clock.now();
    const stored = await this.tokens.inspect(input.challenge, TokenPurpose.MfaChallenge, now);
    const user = await this.users.findLoginState(stored.userId);
    if (!user || user.status !== UserStatus.Active || user.email !== stored.binding.email) throw tokenErrors.stale();
    const passwordChangedAt = await this.methods.passwordChangedAt(user._id);
    if ((passwordChangedAt?.getTime() ?? null) !== (stored.binding.passwordChangedAt?.getTime() ?? null)) throw tokenErrors.stale();

    const keys = this.ledger.keys(user.email, client.ip ?? UNKNOWN_SOURCE);
    await this.checkFactor(user, factor, keys, now);
    await this.tokens.redeem(stored, now);
    await this.users.markLoggedIn(user._id, now);
    const pair = await this.sessionTokens.start(user, client, now, { amr: ['pwd', ...SECOND_FACTOR_AMR], authTime: now });
    await this.events.loginSucceeded(user, now);
    return pair;
  }

  /** A fresh factor inside the caller's session: its next access tokens carry `auth_time` = now. */
  async stepUp(caller: AuthenticatedUser, input: SecondFactorDto, client: ClientInfo): Promise<StepUpResultDto> {
    const factor = factorOf(input);
    const now = this.clock.now();
    const user = await this.users.findLoginState(new Types.ObjectId(caller.id));
    if (!user || user.status !== UserStatus.Active || !caller.sessionId) throw invalidAccessToken();
    await this.checkFactor(user, factor, this.ledger.keys(user.email, client.ip ?? UNKNOWN_SOURCE), now);
    const amr = [...new Set([...(caller.amr ?? ['pwd']), ...SECOND_FACTOR_AMR])];
    const authentication = { amr, authTime: now };
    if (!(await this.sessions.recordAuthentication(user._id, caller.sessionId, authentication))) throw invalidAccessToken();
    const access = this.accessTokens.issue(user, caller.sessionId, now, authentication);
    return { ...access, tokenType: 'Bearer' };
  }

  private async checkFactor(user: LoginState, factor: Factor, keys: ReturnType<LoginLedger['keys']>, now: Date): Promise<void> {
    const admission = await this.ledger.admit(keys, now);
    if (admission.outcome === 'locked') throw new TooManyAttemptsException(retryAfterSeconds(admission.lockedUntil, now));
    const ok =
      factor.kind === 'totp'
        ? await this.factors.verifyTotp(user._id, factor.code, now)
        : await this.factors.useRecoveryCode(user._id, factor.code, now);
    if (!ok) throw invalidSecondFactor();
    await this.ledger.succeeded(keys);
  }
}
