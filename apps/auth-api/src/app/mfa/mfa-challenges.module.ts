import { Module } from '@nestjs/common';
import { CredentialsRepository } from '@directory/credentials';
import { DataAccessModule } from '@directory/data-access';
import { FactorsModule } from '../factors/factors.module';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { PasskeysModule } from '../passkeys/passkeys.module';
import { MfaChallenges } from './mfa-challenges.service';

/** What login needs to answer mfaRequired (apart from MfaModule, which needs login's session tokens). */
@Module({
  imports: [DataAccessModule.forFeature([CredentialsRepository]), FactorsModule, OneTimeTokensModule, PasskeysModule],
  providers: [MfaChallenges],
  exports: [MfaChallenges],
})
export class MfaChallengesModule {}
