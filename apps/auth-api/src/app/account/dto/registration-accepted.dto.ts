import { ApiProperty } from '@nestjs/swagger';

/** Where login waits for a verified email: one answer whether or not the address had an account. */
export class RegistrationAcceptedDto {
  @ApiProperty({ enum: [true], description: 'Follow the link mailed to the address, then sign in' })
  verificationRequired!: true;

  @ApiProperty({ example: 'Check your inbox: we sent a link to confirm this address.' })
  message!: string;
}
