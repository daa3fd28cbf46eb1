import { Body, Headers, Patch, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { assertRecentFactor, CurrentUser, type AuthenticatedUser } from '@directory/auth';
import type { Response } from 'express';
import { requiredVersion, versionTag } from '../common/if-match';
import { ProfileUpdateDto, UpdateProfileDto } from './dto/update-profile.dto';
import { ProfileService, type ProfileUpdate } from './profile.service';
import { UsersRoutes } from '../common/users-routes.decorator';
import { ApiRefusals, IF_MATCH_PATTERN } from '../common/dto/api-params';

@UsersRoutes()
export class ProfileController {
  constructor(private readonly profiles: ProfileService) {}

  @Patch('me')
  @ApiOperation({
    summary: 'Change your own profile (name, displayName, title, department, location, phone, managerId), or ask to change your email',
    description:
      'Optimistic concurrency: send the `version` you read (GET /users/me, also its ETag) as `If-Match: "<version>"`. If the profile changed since, nothing is written and the answer is 409. `null` clears an optional field. Any other field (roles, status, ...) is a 400. A new `email` is not applied: the other fields are, the new address is mailed a confirmation link (POST /auth/email/confirm-change) and the current one a notice, and the answer (200) keeps the current `email` and adds `pendingEmail`.',
  })
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The version you read, e.g. "3"',
    example: '"3"',
    schema: { type: 'string', pattern: IF_MATCH_PATTERN },
  })
  @ApiRefusals(
    {
      status: 400,
      code: 'invalid_manager',
      when: '`managerId` names no user or a deleted one, or would create a reporting cycle',
    },
    { status: 400, code: 'empty_update', when: 'the only field sent is `email`, with the address you already have' },
  )
  @ApiOkResponse({ type: ProfileUpdateDto, description: 'The updated profile; its new version is also the ETag' })
  @ApiConflictResponse({
    description: 'Stale version: someone changed the profile since you read it; or the new email is taken (`email_taken`)',
  })
  @ApiNotFoundResponse({ description: 'Your account is gone' })
  @ApiTooManyRequestsResponse({ description: 'Too many confirmation links to that address in the last hour' })
  @ApiResponse({ status: 428, description: 'If-Match missing' })
  @ApiUnauthorizedResponse({
    description:
      'Missing or invalid access token; or a new `email` from a user with a second factor not confirmed within 5 minutes (step_up_required: POST /auth/mfa/step-up)',
  })
  async updateMe(
    @CurrentUser() caller: AuthenticatedUser,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateProfileDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProfileUpdate> {
    // Changing the email is sensitive: a user with a second factor confirms one first (step-up).
    if (body.email !== undefined) assertRecentFactor(caller);
    const user = await this.profiles.update(caller.id, requiredVersion(ifMatch), body);
    res.setHeader('ETag', versionTag(user.version));
    return user;
  }
}
