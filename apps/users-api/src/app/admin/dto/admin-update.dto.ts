import { ApiPropertyOptional } from '@nestjs/swagger';
import { USER_LIMITS, USER_ROLES, USER_STATUSES, type UserRole, type UserStatus } from '@directory/schemas';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional } from 'class-validator';
import { ClearableText } from '../../common/dto/clearable-text';

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

  @ApiPropertyOptional({ enum: USER_STATUSES, description: 'suspended or deleted ends every session and revokes access tokens' })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ClearableText(USER_LIMITS.department)
  department?: string | null;

  @ClearableText(USER_LIMITS.title)
  title?: string | null;
}
