import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsNotEmptyObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { AuthenticationResponseDto } from '../../passkeys/dto/webauthn-response.dto';

/** A six-digit TOTP code, a recovery code or a passkey assertion: exactly one of them. */
export class SecondFactorDto {
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

  @ApiPropertyOptional({
    type: AuthenticationResponseDto,
    description: "A passkey: startAuthentication()'s result over the challenge's options",
  })
  @IsOptional()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => AuthenticationResponseDto)
  webauthn?: AuthenticationResponseDto;
}

export class MfaVerifyDto extends SecondFactorDto {
  @ApiProperty({ description: 'The `challenge` POST /auth/login answered', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  challenge!: string;
}

export class MfaChallengeDto {
  @ApiProperty({ enum: [true], description: 'The password was right; a second factor is needed (POST /auth/mfa/verify)' })
  mfaRequired!: true;

  @ApiProperty({ description: 'Single use, for this user and this password check, valid `expiresIn` seconds' })
  challenge!: string;

  @ApiProperty({ description: 'Second factors the account can use', example: ['totp', 'recovery_code'] })
  methods!: string[];

  @ApiProperty({ example: 300 })
  expiresIn!: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Only when methods include webauthn: options for startAuthentication(), whose challenge is `challenge` itself',
  })
  webauthn?: PublicKeyCredentialRequestOptionsJSON;
}

export class StepUpResultDto {
  @ApiProperty({ description: 'A fresh access token whose `auth_time` is now (`amr` includes the factor)' })
  accessToken!: string;

  @ApiProperty({ example: 900 })
  expiresIn!: number;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: 'Bearer';
}
