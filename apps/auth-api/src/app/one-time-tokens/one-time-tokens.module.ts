import { Module } from '@nestjs/common';
import { OneTimeTokensRepository } from '@directory/credentials';
import { DataAccessModule } from '@directory/data-access';
import { OneTimeTokens } from './one-time-tokens.service';

/** Single-use tokens for the mail flows (hashes only; `onetimetokens`, `tokenredemptions`). */
@Module({
  imports: [DataAccessModule.forFeature([OneTimeTokensRepository])],
  providers: [OneTimeTokens],
  exports: [OneTimeTokens],
})
export class OneTimeTokensModule {}
