import { Controller, HttpCode, HttpStatus, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '@directory/auth';
import { UsersRepository } from '@directory/data-access';
import { UserRole } from '@directory/schemas';
import { Types } from 'mongoose';
import { LoginLedger } from '../lockout/login-ledger';
import { AuthErrorCode } from './account-errors';

/** Operator actions on another user's credentials (admins only). */
@ApiTags('auth-admin')
@Controller('auth/admin/users')
export class AdminUnlockController {
  constructor(
    private readonly users: UsersRepository,
    private readonly ledger: LoginLedger,
  ) {}

  @Post(':id/unlock')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Authenticated(UserRole.Admin)
  @ApiOperation({ summary: "Forget every failed login counted against the user's email (from every address): the lock ends now" })
  @ApiNoContentResponse({ description: 'Unlocked (also when it was not locked)' })
  @ApiNotFoundResponse({ description: 'No such user' })
  async unlock(@Param('id') id: string): Promise<void> {
    // ASVS 5.0 V6.3.1: a lockout an administrator can lift, as Keycloak and Auth0 allow.
    const user = Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id) ? await this.users.findLoginState(id) : null;
    if (!user) throw new NotFoundException({ message: 'User not found', code: AuthErrorCode.NotFound });
    await this.ledger.unlockAccount(user.email);
  }
}
