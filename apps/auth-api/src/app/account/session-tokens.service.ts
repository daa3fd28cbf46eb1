import { Injectable } from '@nestjs/common';
import { UsersRepository } from '@directory/data-access';
import { UserStatus } from '@directory/schemas';
import { AccessTokens, type TokenSubject } from '../tokens/access-tokens';
import { SessionsService, type Authentication, type ClientInfo } from '../sessions/sessions.service';
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

  async start(
    user: TokenSubject,
    client: ClientInfo,
    now: Date,
    authentication: Authentication = { amr: ['pwd'], authTime: now },
  ): Promise<TokenPairDto> {
    const session = await this.sessions.start(user._id, client, now, authentication);
    const access = this.accessTokens.issue(user, session.family, now, authentication);
    return { ...access, refreshToken: session.refreshToken, tokenType: 'Bearer' };
  }

  /**
   * Rotation with reuse detection and a grace for concurrent refreshes (SessionsService.rotate).
   * The user (status, roles, cutoff) is read before the swap, and a user who is not active
   * gets nothing: the family ends.
   */
  async refresh(refreshToken: string, now: Date): Promise<TokenPairDto> {
    const rotation = await this.sessions.rotate(refreshToken, now, async (userId) => {
      const user = await this.users.findLoginState(userId);
      return user?.status === UserStatus.Active ? user : null;
    });
    if (rotation.outcome !== 'rotated') throw invalidRefreshToken();
    const access = this.accessTokens.issue(rotation.user, rotation.family, now, rotation.authentication);
    return { ...access, refreshToken: rotation.refreshToken, tokenType: 'Bearer' };
  }

  logout(refreshToken: string, now: Date): Promise<void> {
    return this.sessions.end(refreshToken, now);
  }
}
