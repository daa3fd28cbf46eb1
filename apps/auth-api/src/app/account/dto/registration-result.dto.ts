import { ApiProperty } from '@nestjs/swagger';
import { TokenPairDto } from './token-pair.dto';
import { UserViewDto } from '@directory/data-access';

/**
 * The new account, signed in: where login does not wait for a verified email
 * (AUTH_REQUIRE_VERIFIED_EMAIL off). Otherwise registration answers RegistrationAcceptedDto.
 */
export class RegistrationResultDto extends TokenPairDto {
  @ApiProperty({ type: UserViewDto })
  user!: UserViewDto;

  @ApiProperty({ enum: [false], description: 'False: the account may sign in before verifying (the link is mailed anyway)' })
  verificationRequired!: false;
}
