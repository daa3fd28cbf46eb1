import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../passwords/password-policy';
import { PASSWORD_INPUT_MAX } from './password-input';

export class ChangePasswordDto {
  @ApiProperty({ minLength: 1, maxLength: PASSWORD_INPUT_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_INPUT_MAX)
  currentPassword!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX)
  newPassword!: string;
}
