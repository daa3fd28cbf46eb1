import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/**
 * WebAuthn's JSON encodings (RegistrationResponseJSON, AuthenticationResponseJSON) as
 * @simplewebauthn/browser sends them. Checked for shape here, so a malformed object is a 400
 * validation_failed; whether they verify is the ceremony's business (passkey_invalid).
 */
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const base64url = (what: string, maxLength: number) => ({
  description: `${what} (base64url)`,
  pattern: BASE64URL.source,
  minLength: 1,
  maxLength,
});

const ATTACHMENTS = ['platform', 'cross-platform'];
const TRANSPORT = /^[a-z][a-z-]{0,31}$/;

class CredentialFields {
  @ApiProperty(base64url('The credential id', 1366))
  @IsString()
  @Matches(BASE64URL, { message: 'id must be base64url' })
  @MaxLength(1366)
  id!: string;

  @ApiProperty(base64url('The credential id again, as WebAuthn sends it', 1366))
  @IsString()
  @Matches(BASE64URL, { message: 'rawId must be base64url' })
  @MaxLength(1366)
  rawId!: string;

  @ApiProperty({ enum: ['public-key'] })
  @IsIn(['public-key'])
  type!: 'public-key';

  @ApiPropertyOptional({ enum: ATTACHMENTS })
  @IsOptional()
  @IsIn(ATTACHMENTS)
  authenticatorAttachment?: 'platform' | 'cross-platform';

  // The browser's extension outputs (credProps, …): any keys, not interpreted by the server.
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'getClientExtensionResults() as the browser returns it' })
  @IsOptional()
  @IsObject()
  clientExtensionResults?: Record<string, unknown>;
}

export class AttestationResponseDto {
  @ApiProperty(base64url('clientDataJSON', 4096))
  @IsString()
  @Matches(BASE64URL, { message: 'clientDataJSON must be base64url' })
  @MaxLength(4096)
  clientDataJSON!: string;

  @ApiProperty(base64url('attestationObject (CBOR)', 32_768))
  @IsString()
  @Matches(BASE64URL, { message: 'attestationObject must be base64url' })
  @MaxLength(32_768)
  attestationObject!: string;

  @ApiPropertyOptional(base64url('authenticatorData', 16_384))
  @IsOptional()
  @IsString()
  @Matches(BASE64URL, { message: 'authenticatorData must be base64url' })
  @MaxLength(16_384)
  authenticatorData?: string;

  // Transport tokens are ASCII words (usb, nfc, ble, smart-card, hybrid, internal; unknown ones are
  // kept). The pattern bounds them in characters everyone counts alike: a bare maxLength counts code
  // points in JSON Schema but UTF-16 units in class-validator, so an astral character fell between.
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', pattern: TRANSPORT.source },
    maxItems: 10,
    example: ['internal', 'hybrid'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Matches(TRANSPORT, { each: true, message: 'each transport is a lowercase word such as usb, nfc, ble, hybrid or internal' })
  transports?: string[];

  @ApiPropertyOptional({ type: 'integer', example: -7 })
  @IsOptional()
  @IsInt()
  publicKeyAlgorithm?: number;

  @ApiPropertyOptional(base64url('The public key (SPKI)', 16_384))
  @IsOptional()
  @IsString()
  @Matches(BASE64URL, { message: 'publicKey must be base64url' })
  @MaxLength(16_384)
  publicKey?: string;
}

export class RegistrationResponseDto extends CredentialFields {
  @ApiProperty({ type: AttestationResponseDto })
  @IsDefined()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => AttestationResponseDto)
  response!: AttestationResponseDto;
}

export class AssertionResponseDto {
  @ApiProperty(base64url('clientDataJSON', 4096))
  @IsString()
  @Matches(BASE64URL, { message: 'clientDataJSON must be base64url' })
  @MaxLength(4096)
  clientDataJSON!: string;

  @ApiProperty(base64url('authenticatorData', 16_384))
  @IsString()
  @Matches(BASE64URL, { message: 'authenticatorData must be base64url' })
  @MaxLength(16_384)
  authenticatorData!: string;

  @ApiProperty(base64url('The assertion signature', 16_384))
  @IsString()
  @Matches(BASE64URL, { message: 'signature must be base64url' })
  @MaxLength(16_384)
  signature!: string;

  @ApiPropertyOptional(base64url('The user handle the passkey was created with', 128))
  @IsOptional()
  @IsString()
  @Matches(BASE64URL, { message: 'userHandle must be base64url' })
  @MaxLength(128)
  userHandle?: string;
}

export class AuthenticationResponseDto extends CredentialFields {
  @ApiProperty({ type: AssertionResponseDto })
  @IsDefined()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => AssertionResponseDto)
  response!: AssertionResponseDto;
}
