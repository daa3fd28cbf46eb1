import { ApiPropertyOptional } from '@nestjs/swagger';
import { USER_LIMITS, USER_ROLES, USER_STATUSES, type UserRole, type UserStatus } from '@directory/schemas';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Trim } from '@directory/platform';

export const MAX_QUERY_LENGTH = 100;

/** No control characters: they are in no name or email, and a NUL cannot even be sent inside the prefix RegExp (BSON). */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;

/**
 * An RFC 3339 instant as `@IsISO8601({ strict: true })` reads it. Years 0000–0099 are refused:
 * JavaScript's Date maps them to 1900–1999, so the strict round-trip check fails.
 */
const INSTANT_DOC = {
  type: String,
  format: 'date-time',
  pattern: '^(?!00)[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$',
};

/** The filters shared by GET /users and GET /users/export. */
export class UserFilterQuery {
  @ApiPropertyOptional({
    maxLength: MAX_QUERY_LENGTH,
    pattern: NO_CONTROL_CHARACTERS.source,
    description:
      'Prefix of a first, last or display name (case and diacritics ignored: "jose" finds "José"), or of an email when it contains "@". Taken literally: ".*" finds names starting with ".*".',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_QUERY_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'q must not contain control characters' })
  q?: string;

  @ApiPropertyOptional({ maxLength: USER_LIMITS.department, description: 'Exact department' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(USER_LIMITS.department)
  department?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({
    enum: USER_STATUSES,
    description: 'Default: everyone but deleted and invited users. `deleted` and `invited` are for admins only.',
  })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({
    ...INSTANT_DOC,
    description: 'Admin only. Users whose last sign-in was before this instant, or who never signed in (dormant accounts).',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  lastActiveBefore?: string;

  @ApiPropertyOptional({ ...INSTANT_DOC, description: 'Admin only. Users who signed in at or after this instant.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  lastActiveAfter?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Admin only. Users who proved their email address (true) or have not yet (false).',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  verified?: 'true' | 'false';
}
