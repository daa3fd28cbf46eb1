import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_ROLES, USER_STATUSES } from '@directory/schemas';
import { UserViewDto } from '@directory/data-access';

export class UserPageDto {
  @ApiProperty({ type: [UserViewDto] }) items!: UserViewDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; pass as `after` for the next page' }) nextCursor!: string | null;
  @ApiPropertyOptional({ description: 'With includeTotal=true (admins): matches across all pages' }) total?: number;
}

/** RoleChanged carries role lists, StatusChanged a status (the contract test found `object` here). */
const ROLES_OR_STATUS = [
  { type: 'array', items: { type: 'string', enum: [...USER_ROLES] } },
  { type: 'string', enum: [...USER_STATUSES] },
];

class EventDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'ProfileUpdated' }) kind!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ type: [String], description: 'ProfileUpdated: names of the changed fields' }) fields?: string[];
  @ApiPropertyOptional({ oneOf: ROLES_OR_STATUS, description: 'RoleChanged: the roles before; StatusChanged: the status before' })
  from?: string[] | string;
  @ApiPropertyOptional({ oneOf: ROLES_OR_STATUS, description: 'RoleChanged: the roles after; StatusChanged: the status after' })
  to?: string[] | string;
  @ApiPropertyOptional({ description: 'The admin who made the change' }) by?: string;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional() resultCount?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'SessionsEnded: how many sessions ended' }) count?: number;
}

export class EventPageDto {
  @ApiProperty({ type: [EventDto] }) items!: EventDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
