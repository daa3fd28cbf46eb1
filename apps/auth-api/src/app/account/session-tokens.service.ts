import { Injectable } from '@nestjs/common';
import { UsersRepository } from '@directory/data-access';
import { UserStatus } from '@directory/schemas';
import { AccessTokens, type TokenSubject } from '../tokens/access-tokens';
import { SessionsService, type ClientInfo } from '../sessions/sessions.service';
import { invalidRefreshToken } from './account-errors';
import type { TokenPairDto } from './dto/token-pair.dto';

/** Token pairs: a new session at login/registration, a rotated one at refresh. */
@Injectable()
export class SessionTokens {
  constructor(
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokens,
    private readonly users: UsersRepository,
  ) {}

  async start(user: TokenSubject, client: ClientInfo, now: Date): Promise<TokenPairDto> {
    const session = await this.sessions.start(user._id, client, now);
    const access = this.accessTokens.issue(user, session.family, now);
    return { ...access, refreshToken: session.refreshToken, tokenType: 'Bearer' };
  }

  /** Rotation with reuse detection (see SessionsService.rotate); a suspended or deleted user gets nothing. */
  async refresh(refreshToken: string, now: Date): Promise<TokenPairDto> {
    const rotation = await this.sessions.rotate(refreshToken, now);
    if (rotation.outcome !== 'rotated') throw invalidRefreshToken();
    const user = await this.users.findLoginState(rotation.userId);
    if (!user || user.status !== UserStatus.Active) {
      await this.sessions.endFamily(rotation.family, now);
      throw invalidRefreshToken();
    }
    const access = this.accessTokens.issue(user, rotation.family, now);
    return { ...access, refreshToken: rotation.refreshToken, tokenType: 'Bearer' };
  }

  logout(refreshToken: string, now: Date): Promise<void> {
    return this.sessions.end(refreshToken, now);
  }
}
