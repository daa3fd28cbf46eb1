import { ApiProperty } from '@nestjs/swagger';

export class TokenPairDto {
  @ApiProperty({ description: 'RS256 JWT (typ at+jwt) for `Authorization: Bearer`' })
  accessToken!: string;

  @ApiProperty({ description: 'Opaque; single use: each refresh returns a new one' })
  refreshToken!: string;

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn!: number;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: 'Bearer';
}
