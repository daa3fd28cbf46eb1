import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_ROLES, USER_STATUSES } from '@directory/schemas';

class UserNameDto {
  @ApiProperty({ example: 'José' }) first!: string;
  @ApiProperty({ example: 'Ñúñez' }) last!: string;
}

/** A user as every endpoint returns it (OpenAPI shape of `UserView`). */
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
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Admins only' }) lastLoginAt?: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: 'Send it back as If-Match: "<version>" when changing the profile', example: 3 }) version!: number;
}

export class UserPageDto {
  @ApiProperty({ type: [UserViewDto] }) items!: UserViewDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; pass as `after` for the next page' }) nextCursor!: string | null;
  @ApiPropertyOptional({ description: 'With includeTotal=true (admins): matches across all pages' }) total?: number;
}

class EventDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'ProfileUpdated' }) kind!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ type: [String], description: 'ProfileUpdated: names of the changed fields' }) fields?: string[];
  @ApiPropertyOptional({ description: 'RoleChanged/StatusChanged: before' }) from?: unknown;
  @ApiPropertyOptional({ description: 'RoleChanged/StatusChanged: after' }) to?: unknown;
  @ApiPropertyOptional({ description: 'The admin who made the change' }) by?: string;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional() resultCount?: number;
}

export class EventPageDto {
  @ApiProperty({ type: [EventDto] }) items!: EventDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
