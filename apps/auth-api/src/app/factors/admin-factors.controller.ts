import { Controller, Delete, Get, HttpCode, HttpStatus, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, type AuthenticatedUser } from '@directory/auth';
import { UserRole } from '@directory/schemas';
import { AuthErrorCode } from '../account/account-errors';
import { Clock } from '../clock';
import { FactorListDto } from './dto/factors.dto';
import { Factors, parseId, type FactorList } from './factors.service';

const userNotFound = () => new NotFoundException({ message: 'User not found', code: AuthErrorCode.NotFound });

/** Operator view and reset of another user's second factors (admins only; never a seed). */
@ApiTags('auth-admin')
@ApiBearerAuth()
@Controller('auth/admin/users')
export class AdminFactorsController {
  constructor(
    private readonly clock: Clock,
    private readonly factors: Factors,
  ) {}

  @Get(':id/factors')
  @Authenticated(UserRole.Admin)
  @ApiOperation({ summary: "A user's second factors and recovery-code state (never their seeds or codes)" })
  @ApiOkResponse({ type: FactorListDto })
  @ApiNotFoundResponse({ description: 'No such user' })
  list(@Param('id') id: string): Promise<FactorList> {
    const userId = parseId(id);
    if (!userId) throw userNotFound();
    return this.factors.listForAdmin(userId);
  }

  @Delete(':id/factors')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Authenticated(UserRole.Admin)
  @ApiOperation({
    summary:
      'Reset: remove every second factor and recovery code of the user (they sign in with the password again); the user is mailed a notice',
  })
  @ApiNoContentResponse({ description: 'Reset (also when there was nothing to remove)' })
  @ApiNotFoundResponse({ description: 'No such user' })
  async reset(@CurrentUser() caller: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    const userId = parseId(id);
    if (!userId) throw userNotFound();
    await this.factors.resetAll(userId, caller.id, this.clock.now());
  }
}
