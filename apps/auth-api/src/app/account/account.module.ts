import { Module } from '@nestjs/common';
import { DataAccessModule, UsersRepository } from '@directory/data-access';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthSettings } from '../auth-settings';
import { EventsModule } from '../events/events.module';
import { LockoutModule } from '../lockout/lockout.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TokensModule } from '../tokens/tokens.module';
import { AccountSecurity } from './account-security.service';
import { AbuseCeilingGuard } from './abuse-ceiling.guard';
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
    // The per-IP abuse ceiling on register/login/refresh (AbuseCeilingGuard, high: it counts
    // successes too). In memory, so per replica: the failure limits (per email, per email and
    // address, per address) live in MongoDB (LoginLedger) and hold across replicas.
    ThrottlerModule.forRootAsync({
      inject: [AuthSettings],
      useFactory: (settings: AuthSettings) => ({
        throttlers: [{ ttl: settings.throttle.ttlSeconds * 1000, limit: settings.throttle.limit }],
      }),
    }),
  ],
  controllers: [AuthController, AdminUnlockController],
  providers: [SessionTokens, Registration, Login, AccountSecurity, AbuseCeilingGuard],
})
export class AccountModule {}
