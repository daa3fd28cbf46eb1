import { Module } from '@nestjs/common';
import { DataAccessModule, UsersRepository } from '@directory/data-access';
import { EventsModule } from '../events/events.module';
import { LockoutModule } from '../lockout/lockout.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TokensModule } from '../tokens/tokens.module';
import { AccountSecurity } from './account-security.service';
import { AccountMailModule } from '../email-flows/account-mail.module';
import { MfaChallengesModule } from '../mfa/mfa-challenges.module';
import { abuseCeilingThrottler, AbuseCeilingGuard } from './abuse-ceiling.guard';
import { AdminUnlockController } from './admin-unlock.controller';
import { AuthController } from './auth.controller';
import { Login } from './login.service';
import { Registration } from './registration.service';
import { SessionTokens } from './session-tokens.service';

/** The /auth routes: registration, login, refresh, logout, the caller's account. */
@Module({
  imports: [
    DataAccessModule.forFeature([UsersRepository]),
    PasswordsModule,
    LockoutModule,
    SessionsModule,
    TokensModule,
    EventsModule,
    // The per-IP abuse ceiling on register/login/refresh (AbuseCeilingGuard, high: it counts successes too).
    abuseCeilingThrottler(),
    // Registration queues the verification mail.
    AccountMailModule,
    // Login answers mfaRequired for accounts with a second factor.
    MfaChallengesModule,
  ],
  controllers: [AuthController, AdminUnlockController],
  providers: [SessionTokens, Registration, Login, AccountSecurity, AbuseCeilingGuard],
  exports: [AccountSecurity, SessionTokens, Login],
})
export class AccountModule {}
