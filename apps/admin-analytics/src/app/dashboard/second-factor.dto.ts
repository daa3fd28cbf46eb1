import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** The methods this page can ask for; a passkey needs a WebAuthn ceremony the dashboard does not run yet. */
export const DASHBOARD_SECOND_FACTORS = ['totp', 'recovery_code'] as const;

/** auth-api's `mfaRequired` answer, passed on: the page's cue to ask for the second factor. */
export class DashboardMfaChallengeDto {
  @ApiProperty({ enum: [true], description: 'The password was right; a second factor is needed (POST /dashboard/api/mfa)' })
  mfaRequired!: true;

  @ApiProperty({ description: "auth-api's single-use login challenge, valid `expiresIn` seconds" })
  challenge!: string;

  @ApiProperty({
    description: 'Second factors the account can use (auth-api lists webauthn too; the dashboard cannot ask for a passkey yet)',
    example: ['totp', 'recovery_code'],
  })
  methods!: string[];

  @ApiProperty({ example: 300 })
  expiresIn!: number;
}

/** What the second step posts: the challenge and exactly one of a TOTP code and a recovery code (auth-api checks "exactly one"). */
export class DashboardMfaDto {
  @ApiProperty({ description: 'The `challenge` POST /dashboard/api/login answered', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  challenge!: string;

  @ApiPropertyOptional({ description: 'Six-digit code from the authenticator app', example: '123456', pattern: '^[0-9]{6}$' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{6}$/, { message: 'totp must be six digits' })
  totp?: string;

  @ApiPropertyOptional({ description: 'One of the recovery codes (each works once)', maxLength: 40 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  recoveryCode?: string;
}
