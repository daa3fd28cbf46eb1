import { Injectable, UnauthorizedException } from '@nestjs/common';
import { TokenPurpose } from '@directory/credentials';
import { UsersRepository } from '@directory/data-access';
import { UserStatus } from '@directory/schemas';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { AuthErrorCode, emailNotVerified } from '../account/account-errors';
import type { TokenPairDto } from '../account/dto/token-pair.dto';
import { Login } from '../account/login.service';
import { Clock } from '../clock';
import { OneTimeTokens } from '../one-time-tokens/one-time-tokens.service';
import type { ClientInfo } from '../sessions/sessions.service';
import { challengeTokenOf, Passkeys } from './passkeys.service';

/** One answer for every passkey that does not sign anyone in, like a wrong password's. */
export const passkeyRefused = () =>
  new UnauthorizedException({ message: 'The passkey was not accepted', code: AuthErrorCode.PasskeyInvalid });

/**
 * Username-less sign-in with a discoverable credential: the passkey names its user. User
 * verification (PIN, biometrics) on the authenticator makes it multi-factor by itself (RFC 8176
 * `user` + `mfa`), so no second step follows.
 */
@Injectable()
export class PasswordlessLogin {
  constructor(
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly tokens: OneTimeTokens,
    private readonly passkeys: Passkeys,
    private readonly login: Login,
  ) {}

  options(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.passkeys.signInOptions(this.clock.now());
  }

  async signIn(response: AuthenticationResponseJSON, client: ClientInfo): Promise<TokenPairDto> {
    const now = this.clock.now();
    const challenge = challengeTokenOf(response);
    const stored = await this.tokens.inspect(challenge, TokenPurpose.PasskeySignIn, now);
    const assertion = await this.passkeys.verifyAssertion(response, { challenge, userId: null, requireUserVerification: true }, now);
    if (!assertion) throw passkeyRefused();
    const user = await this.users.findLoginState(assertion.userId);
    // Suspended or deleted: the same refusal as a passkey nobody registered.
    if (!user || user.status !== UserStatus.Active) throw passkeyRefused();
    await this.tokens.redeem(stored, now);
    if (this.login.mustVerifyEmail(user)) throw emailNotVerified();
    return this.login.signIn(user, client, now, { amr: [assertion.amr, 'user', 'mfa'], authTime: now });
  }
}
