import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Trim } from '@directory/platform';

import { FACTOR_STATUSES, PASSKEY_DEVICE_TYPES, STORED_FACTOR_TYPES } from '@directory/credentials';
import { SecondFactorType } from '@directory/schemas';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export const FACTOR_NAME_MAX = 64;

export class EnrolTotpDto {
  @ApiProperty({
    description: 'A label for the authenticator, shown in the factor list',
    example: 'Phone',
    minLength: 1,
    maxLength: FACTOR_NAME_MAX,
  })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(FACTOR_NAME_MAX)
  name!: string;
}

export class ConfirmTotpDto {
  @ApiProperty({ description: 'The 6-digit code the authenticator app shows now', example: '492039', pattern: '^[0-9]{6}$' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class TotpEnrolmentDto {
  @ApiProperty({ description: 'The new factor (pending until confirmed with a first code)', example: '665f1c2e9b1d8a0012345678' })
  factorId!: string;

  @ApiProperty({
    description: 'otpauth://totp/Directory:<email>?… provisioning URI (Key Uri Format) with the seed: shown this once, never again',
    example: 'otpauth://totp/Directory:ada%40example.com?…&issuer=Directory&algorithm=SHA1&digits=6&period=30',
  })
  otpauthUri!: string;

  @ApiProperty({ description: 'The same URI as a QR code, SVG markup (render it; do not keep it)' })
  qrSvg!: string;
}

export class FactorDto {
  @ApiProperty({ example: '665f1c2e9b1d8a0012345678' }) id!: string;
  @ApiProperty({ enum: [...STORED_FACTOR_TYPES, SecondFactorType.WebAuthn] }) type!: string;
  @ApiProperty({ example: 'Phone' }) name!: string;
  @ApiProperty({ enum: FACTOR_STATUSES, description: '`pending` until a first valid code; only `active` factors count' }) status!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) confirmedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
  @ApiPropertyOptional({ description: 'Passkeys only: backed up (synced) at its last use' }) backedUp?: boolean;
  @ApiPropertyOptional({ enum: PASSKEY_DEVICE_TYPES, description: 'Passkeys only: multiDevice may be synced between devices' })
  deviceType?: string;
}

export class RecoveryCodesStateDto {
  @ApiProperty({ description: 'Unused codes of the current set', example: 10, minimum: 0, maximum: 10 }) remaining!: number;
  @ApiProperty({ type: String, format: 'date-time' }) generatedAt!: string;
}

export class FactorListDto {
  @ApiProperty({ type: [FactorDto] }) factors!: FactorDto[];
  @ApiProperty({ type: RecoveryCodesStateDto, nullable: true, description: 'null when no recovery codes were generated' })
  recoveryCodes!: RecoveryCodesStateDto | null;
}

export class RecoveryCodesDto {
  @ApiProperty({
    description: 'Ten single-use codes, shown this once (only hashes are kept); the previous set no longer works',
    example: ['abcd-efgh-2345', 'mnop-qrst-6723'],
    type: [String],
  })
  codes!: string[];
}
