import { ApiProperty } from '@nestjs/swagger';
import { TokenPairDto } from './token-pair.dto';
import { UserViewDto } from '@directory/data-access';

export class RegistrationResultDto extends TokenPairDto {
  @ApiProperty({ type: UserViewDto })
  user!: UserViewDto;
}
