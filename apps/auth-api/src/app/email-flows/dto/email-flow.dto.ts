import { ApiProperty } from '@nestjs/swagger';
import { Trim, EMAIL_INPUT_SCHEMA } from '@directory/platform';
import { USER_LIMITS } from '@directory/schemas';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PASSWORD_INPUT_MAX } from '../../account/dto/password-input';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../passwords/password-policy';

/** Any string up to this length is looked up (an altered token is token_invalid, not a validation error). */
const TOKEN_INPUT_MAX = 200;

const tokenProperty = {
  description: 'The token from the link in the message (after `#token=`)',
  example: 'q0bYkqk0n7l2Vt1nq4mS1xqkqf6X3aP2yq0rZl8Jp4c',
  minLength: 1,
  maxLength: TOKEN_INPUT_MAX,
} as const;

export class TokenDto {
  @ApiProperty(tokenProperty)
  @IsString()
  @IsNotEmpty()
  @MaxLength(TOKEN_INPUT_MAX)
  token!: string;
}

export class ForgotPasswordDto {
  @ApiProperty({ example: 'ada@example.com', ...EMAIL_INPUT_SCHEMA, maxLength: USER_LIMITS.email })
  @Trim()
  @IsString()
  @MaxLength(USER_LIMITS.email)
  @IsEmail()
  email!: string;
}

export class ResetPasswordDto extends TokenDto {
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX)
  newPassword!: string;
}

export class AcceptInvitationDto extends TokenDto {
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX)
  password!: string;
}

export class AcceptedDto {
  @ApiProperty({ example: 'If an account uses this address, a link to reset its password is on its way.' })
  message!: string;
}
