import { Module } from '@nestjs/common';
import { CredentialsRepository } from '@directory/credentials';
import { DataAccessModule, UsersRepository } from '@directory/data-access';
import { abuseCeilingThrottler, AbuseCeilingGuard } from '../account/abuse-ceiling.guard';
import { AccountModule } from '../account/account.module';
import { EventsModule } from '../events/events.module';
import { FactorsModule } from '../factors/factors.module';
import { LockoutModule } from '../lockout/lockout.module';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { PasskeysModule } from '../passkeys/passkeys.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TokensModule } from '../tokens/tokens.module';
import { MfaController } from './mfa.controller';
import { SecondFactor } from './second-factor.service';

/** POST /auth/mfa/verify and /auth/mfa/step-up. */
@Module({
  imports: [
    DataAccessModule.forFeature([UsersRepository, CredentialsRepository]),
    AccountModule,
    EventsModule,
    FactorsModule,
    LockoutModule,
    OneTimeTokensModule,
    PasskeysModule,
    SessionsModule,
    TokensModule,
    abuseCeilingThrottler(),
  ],
  controllers: [MfaController],
  providers: [SecondFactor, AbuseCeilingGuard],
})
export class MfaModule {}
