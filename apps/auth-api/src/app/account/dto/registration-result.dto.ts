import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UserViewDto } from '@directory/data-access';

/**
 * The new account and, unless login waits for a verified email (AUTH_REQUIRE_VERIFIED_EMAIL),
 * a token pair: registration signs in only where login would let the user in.
 */
export class RegistrationResultDto {
  @ApiProperty({ type: UserViewDto })
  user!: UserViewDto;

  @ApiProperty({ description: 'True when the account must verify its email (link mailed) before it can sign in; no tokens then' })
  verificationRequired!: boolean;

  @ApiPropertyOptional({ description: 'RS256 JWT (typ at+jwt) for `Authorization: Bearer`' })
  accessToken?: string;

  @ApiPropertyOptional({ description: 'Opaque; single use: each refresh returns a new one' })
  refreshToken?: string;

  @ApiPropertyOptional({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn?: number;

  @ApiPropertyOptional({ example: 'Bearer' })
  tokenType?: 'Bearer';
}
