import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/dto/page.query';
import { UserFilterQuery } from './user-filter.query';

export const MAX_IDS = 100;

export class ListUsersQuery extends IntersectionType(UserFilterQuery, PageQuery) {
  @ApiPropertyOptional({
    description: `Up to ${MAX_IDS} comma-separated ids: those users in the order asked, unknown ones skipped. Not combinable with other parameters.`,
    example: '665f1c2e9b1d8a0012345678,665f1c2e9b1d8a0012345679',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_IDS * 25)
  ids?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Admin only. Adds `total`, the number of users matching the filters.' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeTotal?: 'true' | 'false';
}
