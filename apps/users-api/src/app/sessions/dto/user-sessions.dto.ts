import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** At most this many sessions are listed; `active` still counts them all. */
export const MAX_LISTED_SESSIONS = 50;

export class UserSessionDto {
  @ApiProperty({
    description: "The session's id (its refresh-token family; also the access tokens' `sid`)",
    example: 'Vb0xk2v6Qn3mY4a8J1cT_w',
  })
  id!: string;
  @ApiProperty({ format: 'date-time', description: 'When the user signed in' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', description: 'The last sign-in, token refresh or step-up in this session' }) lastUsedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the refresh token expires unless used again' }) expiresAt!: string;
  @ApiProperty({
    type: [String],
    example: ['pwd', 'otp', 'mfa'],
    description: "How the user last authenticated in this session (RFC 8176 methods; `['pwd']` for sessions that predate the field)",
  })
  amr!: string[];
  @ApiPropertyOptional({ description: 'The client address at sign-in', example: '203.0.113.7' }) ip?: string;
  @ApiPropertyOptional({ description: 'The User-Agent at sign-in', example: 'Mozilla/5.0 (X11; Linux x86_64)' }) userAgent?: string;
}

export class UserSessionsDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'How many sessions are live (not ended, not expired); may exceed the items listed',
  })
  active!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The latest use of any live session; null without one' })
  lastUsedAt!: string | null;
  @ApiProperty({
    type: [UserSessionDto],
    maxItems: MAX_LISTED_SESSIONS,
    description: `The live sessions, most recently used first, at most ${MAX_LISTED_SESSIONS}`,
  })
  items!: UserSessionDto[];
}
