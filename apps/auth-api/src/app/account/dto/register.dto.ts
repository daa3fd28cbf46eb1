import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_LIMITS } from '@directory/schemas';
import { Type } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../passwords/password-policy';
import { NameDto } from './name.dto';
import { PASSWORD_INPUT_MAX } from './password-input';
import { NOT_BLANK, Trim, EMAIL_INPUT_SCHEMA } from '@directory/platform';

/** Roles, status and every server-kept key are absent on purpose: sending them is a 400. */
export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', ...EMAIL_INPUT_SCHEMA, maxLength: USER_LIMITS.email })
  @Trim()
  @IsString()
  @MaxLength(USER_LIMITS.email)
  @IsEmail()
  email!: string;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: 'Any characters; not the email, not a common password',
  })
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX)
  password!: string;

  @ApiProperty({ type: NameDto })
  @IsObject()
  @ValidateNested()
  @Type(() => NameDto)
  name!: NameDto;

  @ApiPropertyOptional({ maxLength: USER_LIMITS.displayName, pattern: NOT_BLANK, description: 'Trimmed; not blank' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(USER_LIMITS.displayName)
  displayName?: string;

  @ApiPropertyOptional({ maxLength: USER_LIMITS.title })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(USER_LIMITS.title)
  title?: string;

  @ApiPropertyOptional({ maxLength: USER_LIMITS.department })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(USER_LIMITS.department)
  department?: string;

  @ApiPropertyOptional({ maxLength: USER_LIMITS.location })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(USER_LIMITS.location)
  location?: string;

  @ApiPropertyOptional({ maxLength: USER_LIMITS.phone })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(USER_LIMITS.phone)
  phone?: string;
}
