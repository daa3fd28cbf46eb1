import { ApiProperty } from '@nestjs/swagger';
import { TokenPairDto } from './token-pair.dto';
import { UserProfileDto } from './user-profile.dto';

export class RegistrationResultDto extends TokenPairDto {
  @ApiProperty({ type: UserProfileDto })
  user!: UserProfileDto;
}
