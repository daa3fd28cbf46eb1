import { ApiProperty, OmitType } from '@nestjs/swagger';
import { Trim } from '@directory/platform';
import { PASSKEY_DEVICE_TYPES } from '@directory/credentials';
import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsNotEmptyObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { FactorDto, FACTOR_NAME_MAX } from '../../factors/dto/factors.dto';
import { AuthenticationResponseDto, RegistrationResponseDto } from './webauthn-response.dto';

export class RegisterPasskeyDto {
  @ApiProperty({
    description: 'A label for the passkey, shown in the factor list',
    example: 'Laptop',
    minLength: 1,
    maxLength: FACTOR_NAME_MAX,
  })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(FACTOR_NAME_MAX)
  name!: string;

  @ApiProperty({ type: RegistrationResponseDto, description: "startRegistration()'s result (RegistrationResponseJSON)" })
  @IsDefined()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => RegistrationResponseDto)
  response!: RegistrationResponseDto;
}

export class PasskeyLoginDto {
  @ApiProperty({ type: AuthenticationResponseDto, description: "startAuthentication()'s result (AuthenticationResponseJSON)" })
  @IsDefined()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => AuthenticationResponseDto)
  response!: AuthenticationResponseDto;
}

export class CreationOptionsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'PublicKeyCredentialCreationOptionsJSON for startRegistration(); its challenge is single use, valid 5 minutes',
  })
  options!: Record<string, unknown>;
}

export class RequestOptionsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'PublicKeyCredentialRequestOptionsJSON for startAuthentication(); its challenge is single use, valid 5 minutes',
  })
  options!: Record<string, unknown>;
}

/** A registered passkey as GET /auth/factors lists it (backedUp and deviceType always present). */
export class PasskeyDto extends OmitType(FactorDto, ['backedUp', 'deviceType'] as const) {
  @ApiProperty({ description: 'Backed up (synced) at its last use' }) backedUp!: boolean;
  @ApiProperty({ enum: PASSKEY_DEVICE_TYPES, description: 'multiDevice: may be synced between devices' }) deviceType!: string;
}
