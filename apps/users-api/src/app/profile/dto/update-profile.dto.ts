import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { UserViewDto } from '@directory/data-access';
import { EMAIL_PATTERN, USER_LIMITS } from '@directory/schemas';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsMongoId,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { NOT_BLANK, Trim, EMAIL_INPUT_SCHEMA } from '@directory/platform';
import { ClearableText } from '../../common/dto/clearable-text';
import { OBJECT_ID_PATTERN } from '../../common/dto/api-params';

/** A name part that may be left out of a patch but, when present, is non-empty text. */
const PatchedNamePart = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ maxLength: USER_LIMITS.name, pattern: NOT_BLANK, description: 'Trimmed; not blank' }),
    Trim(),
    ValidateIf((_, value) => value !== undefined),
    IsString(),
    IsNotEmpty(),
    MaxLength(USER_LIMITS.name),
  );

export class NamePatchDto {
  @PatchedNamePart()
  first?: string;

  @PatchedNamePart()
  last?: string;
}

/**
 * PATCH /users/me: the whitelisted profile fields, nothing else. `roles`, `status`, `_id`,
 * `__v`, derived keys or any other key is refused with 400 by the global ValidationPipe
 * (forbidNonWhitelisted), so a profile edit can never assign them. `null` clears an optional
 * field. `email` is never assigned here either: a new address is only mailed a confirmation link.
 */
export class UpdateProfileDto {
  @ApiPropertyOptional({
    ...EMAIL_INPUT_SCHEMA,
    maxLength: USER_LIMITS.email,
    description:
      'A new address is not applied: it is mailed a confirmation link (POST /auth/email/confirm-change completes the change) and the current address a notice; the answer carries it as `pendingEmail`. Your current address is ignored.',
  })
  @Trim()
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @MaxLength(USER_LIMITS.email)
  @IsEmail()
  @Matches(EMAIL_PATTERN, { message: 'email must be an email address' })
  email?: string;

  @ApiPropertyOptional({ type: NamePatchDto, description: 'first and/or last; neither may be empty' })
  @ValidateIf((_, value) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => NamePatchDto)
  name?: NamePatchDto;

  @ClearableText(USER_LIMITS.displayName)
  displayName?: string | null;

  @ClearableText(USER_LIMITS.title)
  title?: string | null;

  @ClearableText(USER_LIMITS.department)
  department?: string | null;

  @ClearableText(USER_LIMITS.location)
  location?: string | null;

  @ClearableText(USER_LIMITS.phone)
  phone?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    pattern: OBJECT_ID_PATTERN,
    description: 'Id of an existing user; may not create a reporting cycle (else 400 `invalid_manager`)',
  })
  @IsOptional()
  @IsMongoId()
  managerId?: string | null;
}

/** PATCH /users/me's answer: the profile, and the address waiting for confirmation when `email` asked for a new one. */
export class ProfileUpdateDto extends UserViewDto {
  @ApiPropertyOptional({
    format: 'email',
    description: 'The new address a confirmation link was mailed to; `email` stays the current one until it is confirmed',
  })
  pendingEmail?: string;
}
