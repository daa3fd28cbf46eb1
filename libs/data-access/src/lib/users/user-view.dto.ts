import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SECOND_FACTOR_TYPES, USER_ROLES, USER_STATUSES } from '@directory/schemas';

class UserNameDto {
  @ApiProperty({ example: 'José' }) first!: string;
  @ApiProperty({ example: 'Ñúñez' }) last!: string;
}

/** A user as every endpoint of every service returns it (the OpenAPI shape of `UserView`). */
export class UserViewDto {
  @ApiProperty({ example: '665f1c2e9b1d8a0012345678' }) id!: string;
  @ApiProperty({ example: 'jose@example.com' }) email!: string;
  @ApiProperty({ type: UserNameDto }) name!: UserNameDto;
  @ApiProperty({ example: 'José Ñúñez' }) fullName!: string;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
  @ApiProperty({ type: String, nullable: true }) title!: string | null;
  @ApiProperty({ type: String, nullable: true }) department!: string | null;
  @ApiProperty({ type: String, nullable: true }) location!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) managerId!: string | null;
  @ApiProperty({ enum: USER_ROLES, isArray: true }) roles!: string[];
  @ApiProperty({ enum: USER_STATUSES }) status!: string;
  @ApiProperty({ description: 'The user proved they receive mail at `email` (a verification, invitation or email-change link)' })
  emailVerified!: boolean;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Admins only' }) lastLoginAt?: string | null;
  @ApiPropertyOptional({ format: 'date-time', description: 'Admins only, while an invitation is pending: when the latest one was sent' })
  invitedAt?: string;
  @ApiPropertyOptional({ example: '665f1c2e9b1d8a0012345678', description: 'Admins only: the admin who invited the user' })
  invitedBy?: string;
  @ApiPropertyOptional({
    enum: SECOND_FACTOR_TYPES,
    isArray: true,
    description: 'Admins only: the second-factor types the user has enrolled ([] when none)',
  })
  secondFactors?: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: 'Send it back as If-Match: "<version>" when changing the profile', example: 3 }) version!: number;
}
