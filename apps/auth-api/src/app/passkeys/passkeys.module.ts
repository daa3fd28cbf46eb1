import { Module } from '@nestjs/common';
import { PasskeysRepository } from '@directory/credentials';
import { DataAccessModule, UsersRepository } from '@directory/data-access';
import { EventsModule } from '../events/events.module';
import { FactorsModule } from '../factors/factors.module';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { PasskeysController } from './passkeys.controller';
import { Passkeys } from './passkeys.service';

/** WebAuthn ceremonies (`Passkeys`, exported for login, step-up and passwordless) and passkey registration. */
@Module({
  imports: [DataAccessModule.forFeature([PasskeysRepository, UsersRepository]), EventsModule, FactorsModule, OneTimeTokensModule],
  controllers: [PasskeysController],
  providers: [Passkeys],
  exports: [Passkeys],
})
export class PasskeysModule {}
