import { Body, Headers, Patch, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@directory/auth';
import { UserViewDto, type UserView } from '@directory/data-access';
import type { Response } from 'express';
import { requiredVersion, versionTag } from '../common/if-match';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { ProfileService } from './profile.service';
import { UsersRoutes } from '../common/users-routes.decorator';
import { ApiRefusals, IF_MATCH_PATTERN } from '../common/dto/api-params';

@UsersRoutes()
export class ProfileController {
  constructor(private readonly profiles: ProfileService) {}

  @Patch('me')
  @ApiOperation({
    summary: 'Change your own profile (name, displayName, title, department, location, phone, managerId)',
    description:
      'Optimistic concurrency: send the `version` you read (GET /users/me, also its ETag) as `If-Match: "<version>"`. If the profile changed since, nothing is written and the answer is 409. `null` clears an optional field. Any other field (roles, status, email, ...) is a 400.',
  })
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The version you read, e.g. "3"',
    example: '"3"',
    schema: { type: 'string', pattern: IF_MATCH_PATTERN },
  })
  @ApiRefusals({
    status: 400,
    code: 'invalid_manager',
    when: '`managerId` names no user or a deleted one, or would create a reporting cycle',
  })
  @ApiOkResponse({ type: UserViewDto, description: 'The updated profile; its new version is also the ETag' })
  @ApiConflictResponse({ description: 'Stale version: someone changed the profile since you read it' })
  @ApiResponse({ status: 428, description: 'If-Match missing' })
  async updateMe(
    @CurrentUser() caller: AuthenticatedUser,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateProfileDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserView> {
    const user = await this.profiles.update(caller.id, requiredVersion(ifMatch), body);
    res.setHeader('ETag', versionTag(user.version));
    return user;
  }
}
