import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EMAIL_PATTERN, USER_LIMITS, USER_ROLES, type UserRole } from '@directory/schemas';
import { NOT_BLANK, Trim, EMAIL_INPUT_SCHEMA } from '@directory/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsMongoId,
  Matches,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { OBJECT_ID_PATTERN } from '../../common/dto/api-params';

const NamePart = (example: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ example, maxLength: USER_LIMITS.name, pattern: NOT_BLANK, description: 'Trimmed; not blank' }),
    Trim(),
    IsString(),
    IsNotEmpty(),
    MaxLength(USER_LIMITS.name),
  );

/** An optional profile text of an invitation: trimmed, not blank. */
const InvitationText = (maxLength: number): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ maxLength, pattern: NOT_BLANK, description: 'Trimmed; not blank' }),
    IsOptional(),
    Trim(),
    IsString(),
    IsNotEmpty(),
    MaxLength(maxLength),
  );

export class InvitationNameDto {
  @NamePart('Grace')
  first!: string;

  @NamePart('Hopper')
  last!: string;
}

/**
 * POST /users/invitations: who to invite and their profile; exactly these fields (anything else
 * is a 400). No password: the invitee chooses one through the mailed link.
 */
export class InviteUserDto {
  @ApiProperty({ example: 'grace@example.com', ...EMAIL_INPUT_SCHEMA, maxLength: USER_LIMITS.email })
  @Trim()
  @IsString()
  @MaxLength(USER_LIMITS.email)
  @IsEmail()
  // What the user schema accepts too: a refusal here, before any message is written, never at create.
  @Matches(EMAIL_PATTERN, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ type: InvitationNameDto })
  @IsObject()
  @ValidateNested()
  @Type(() => InvitationNameDto)
  name!: InvitationNameDto;

  @ApiPropertyOptional({
    enum: USER_ROLES,
    isArray: true,
    minItems: 1,
    maxItems: USER_ROLES.length,
    uniqueItems: true,
    description: 'Default: member',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(USER_ROLES.length)
  @ArrayUnique()
  @IsIn(USER_ROLES, { each: true })
  roles?: UserRole[];

  @InvitationText(USER_LIMITS.department)
  department?: string;

  @InvitationText(USER_LIMITS.title)
  title?: string;

  @InvitationText(USER_LIMITS.location)
  location?: string;

  @InvitationText(USER_LIMITS.phone)
  phone?: string;

  @ApiPropertyOptional({ pattern: OBJECT_ID_PATTERN, description: 'Id of an existing user (else 400 `invalid_manager`)' })
  @IsOptional()
  @IsMongoId()
  managerId?: string;
}
