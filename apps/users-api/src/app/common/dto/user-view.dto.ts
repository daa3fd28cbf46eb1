import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UserViewDto } from '@directory/data-access';

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
