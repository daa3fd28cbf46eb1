import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** What the sign-in form posts; forwarded as is to auth-api's POST /auth/login. */
export class DashboardLoginDto {
  @ApiProperty({ example: 'admin@example.com', format: 'email', minLength: 3, maxLength: 254, description: 'Checked by auth-api' })
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  email!: string;

  // auth-api's own bound (PASSWORD_INPUT_MAX): a longer one would pass here only to be refused there.
  @ApiProperty({ format: 'password', minLength: 1, maxLength: 512 })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  password!: string;
}

export class DashboardTokenDto {
  @ApiProperty({ description: 'Access token for the analytics API (the refresh token is withheld from the page)' })
  accessToken!: string;
  @ApiProperty({ description: 'Seconds until it expires; sign in again then' })
  expiresIn!: number;
}
