import { ApiProperty } from '@nestjs/swagger';
import { USER_LIMITS } from '@directory/schemas';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PASSWORD_INPUT_MAX } from './password-input';
import { Trim, EMAIL_INPUT_SCHEMA } from '@directory/platform';

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com', ...EMAIL_INPUT_SCHEMA, maxLength: USER_LIMITS.email })
  @Trim()
  @IsString()
  @MaxLength(USER_LIMITS.email)
  @IsEmail()
  email!: string;

  @ApiProperty({ minLength: 1, maxLength: PASSWORD_INPUT_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_INPUT_MAX)
  password!: string;
}
