import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_ROLES, USER_STATUSES } from '@directory/schemas';
import { NameDto } from './name.dto';

/** A user as the API shows it (the schema's toJSON): no credentials, no internal keys. */
export class UserProfileDto {
  @ApiProperty({ example: '665f1c2e9b1d8a0012345678' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ type: NameDto })
  name!: NameDto;

  @ApiProperty({ example: 'Ada Lovelace' })
  fullName!: string;

  @ApiPropertyOptional() displayName?: string;
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional() department?: string;
  @ApiPropertyOptional() location?: string;
  @ApiPropertyOptional() phone?: string;
  @ApiPropertyOptional() managerId?: string;

  @ApiProperty({ enum: USER_ROLES, isArray: true })
  roles!: string[];

  @ApiProperty({ enum: USER_STATUSES })
  status!: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  lastLoginAt?: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;
}
