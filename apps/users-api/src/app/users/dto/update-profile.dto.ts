import { ApiPropertyOptional } from '@nestjs/swagger';
import { USER_LIMITS } from '@directory/schemas';
import { Type } from 'class-transformer';
import { IsMongoId, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { Trim } from './trim';

export class NamePatchDto {
  @ApiPropertyOptional({ maxLength: USER_LIMITS.name })
  @Trim()
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(USER_LIMITS.name)
  first?: string;

  @ApiPropertyOptional({ maxLength: USER_LIMITS.name })
  @Trim()
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(USER_LIMITS.name)
  last?: string;
}

/** An optional text field a client may also clear with `null`. */
const ClearableText = (maxLength: number): PropertyDecorator => {
  const decorators = [IsOptional(), Trim(), IsString(), MaxLength(maxLength)];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
};

/**
 * PATCH /users/me: the whitelisted profile fields, nothing else. `roles`, `status`, `email`,
 * `_id`, `__v`, derived keys or any other key is refused with 400 by the global
 * ValidationPipe (forbidNonWhitelisted), so a profile edit can never assign them.
 * `null` clears an optional field.
 */
export class UpdateProfileDto {
  @ApiPropertyOptional({ type: NamePatchDto, description: 'first and/or last; neither may be empty' })
  @ValidateIf((_, value) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => NamePatchDto)
  name?: NamePatchDto;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: USER_LIMITS.displayName })
  @ClearableText(USER_LIMITS.displayName)
  displayName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: USER_LIMITS.title })
  @ClearableText(USER_LIMITS.title)
  title?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: USER_LIMITS.department })
  @ClearableText(USER_LIMITS.department)
  department?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: USER_LIMITS.location })
  @ClearableText(USER_LIMITS.location)
  location?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: USER_LIMITS.phone })
  @ClearableText(USER_LIMITS.phone)
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Id of an existing user; may not create a reporting cycle' })
  @IsOptional()
  @IsMongoId()
  managerId?: string | null;
}
