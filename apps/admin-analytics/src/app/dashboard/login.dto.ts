import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** What the sign-in form posts; forwarded as is to auth-api's POST /auth/login. */
export class DashboardLoginDto {
  @ApiProperty({ example: 'admin@example.com' })
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class DashboardTokenDto {
  @ApiProperty({ description: 'Access token for the analytics API (the refresh token is withheld from the page)' })
  accessToken!: string;
  @ApiProperty({ description: 'Seconds until it expires; sign in again then' })
  expiresIn!: number;
}
