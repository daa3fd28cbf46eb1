import { ApiPropertyOptional } from '@nestjs/swagger';
import { USER_LIMITS, USER_ROLES, USER_STATUSES, UserStatus } from '@directory/schemas';
import type { UserRole } from '@directory/schemas';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional } from 'class-validator';
import { ClearableText } from '../../common/dto/clearable-text';

/** Statuses an admin may set: `invited` only comes from an invitation (POST /users/invitations). */
export const ADMIN_SETTABLE_STATUSES = USER_STATUSES.filter((status) => status !== UserStatus.Invited);

/** PATCH /users/:id (admins): exactly these fields; anything else is a 400. */
export class AdminUpdateUserDto {
  @ApiPropertyOptional({
    enum: USER_ROLES,
    isArray: true,
    minItems: 1,
    maxItems: USER_ROLES.length,
    uniqueItems: true,
    description: 'The complete new set of roles',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(USER_ROLES.length)
  @ArrayUnique()
  @IsIn(USER_ROLES, { each: true })
  roles?: UserRole[];

  @ApiPropertyOptional({
    enum: ADMIN_SETTABLE_STATUSES,
    description:
      'suspended or deleted ends every session and revokes access tokens. A pending invitation can only be deleted (or revoked, accepted).',
  })
  @IsOptional()
  @IsIn(ADMIN_SETTABLE_STATUSES)
  status?: UserStatus;

  @ClearableText(USER_LIMITS.department)
  department?: string | null;

  @ClearableText(USER_LIMITS.title)
  title?: string | null;
}
