import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { REFRESH_TOKEN_PATTERN } from '../../tokens/refresh-tokens';

/** Body of `POST /auth/refresh` and `POST /auth/logout`. */
export class RefreshTokenDto {
  @ApiProperty({
    description: 'The refresh token from login, registration or the last refresh',
    example: 'x'.repeat(43),
    pattern: REFRESH_TOKEN_PATTERN.source,
  })
  @IsString()
  @Matches(REFRESH_TOKEN_PATTERN, { message: 'refreshToken is malformed' })
  refreshToken!: string;
}
