import { Module } from '@nestjs/common';
import { FactorSecretBox, FactorsRepository, PasskeysRepository } from '@directory/credentials';
import { DataAccessModule, UsersRepository } from '@directory/data-access';
import { AuthSettings } from '../auth-settings';
import { AccountMailModule } from '../email-flows/account-mail.module';
import { EventsModule } from '../events/events.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AdminFactorsController } from './admin-factors.controller';
import { FactorsController } from './factors.controller';
import { Factors } from './factors.service';

/** Second factors: storage (`factors`, sealed seeds), TOTP, recovery codes, the /auth/factors routes. Exports `Factors`. */
@Module({
  imports: [
    DataAccessModule.forFeature([FactorsRepository, PasskeysRepository, UsersRepository]),
    EventsModule,
    AccountMailModule,
    SessionsModule,
  ],
  controllers: [FactorsController, AdminFactorsController],
  providers: [
    Factors,
    {
      provide: FactorSecretBox,
      inject: [AuthSettings],
      useFactory: (settings: AuthSettings) => new FactorSecretBox(settings.factorKeys.current, settings.factorKeys.old),
    },
  ],
  exports: [Factors],
})
export class FactorsModule {}
