import { ApiProperty } from '@nestjs/swagger';
import { USER_LIMITS } from '@directory/schemas';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { NOT_BLANK, Trim } from '@directory/platform';

export class NameDto {
  @ApiProperty({ example: 'Ada', maxLength: USER_LIMITS.name, pattern: NOT_BLANK, description: 'Trimmed; not blank' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(USER_LIMITS.name)
  first!: string;

  @ApiProperty({ example: 'Lovelace', maxLength: USER_LIMITS.name, pattern: NOT_BLANK, description: 'Trimmed; not blank' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(USER_LIMITS.name)
  last!: string;
}
