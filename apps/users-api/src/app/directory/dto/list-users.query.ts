import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/dto/page.query';
import { UserFilterQuery } from './user-filter.query';

export const MAX_IDS = 100;

export class ListUsersQuery extends IntersectionType(UserFilterQuery, PageQuery) {
  @ApiPropertyOptional({
    description: `Up to ${MAX_IDS} comma-separated ids: those users in the order asked, unknown ones skipped. Mutually exclusive with every other parameter (q, department, role, status, lastActiveBefore, lastActiveAfter, verified, includeTotal, limit, after): combined, the answer is a 400 \`invalid_query\`.`,
    pattern: `^[0-9a-fA-F]{24}(,[0-9a-fA-F]{24}){0,${MAX_IDS - 1}}$`,
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
