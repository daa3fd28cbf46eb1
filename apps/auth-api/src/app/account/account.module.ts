import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthSettings } from '../auth-settings';
import { AuthEvents } from '../events/auth-events.service';
import { KeysModule } from '../keys/keys.module';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';
import { SessionsService } from '../sessions/sessions.service';
import { AccessTokens } from '../tokens/access-tokens';
import { AccountSecurity } from './account-security.service';
import { AuthController } from './auth.controller';
import { Credentials } from './credentials.service';
import { Login } from './login.service';
import { Registration } from './registration.service';
import { SessionTokens } from './session-tokens.service';
import { UserAccounts } from './user-accounts.service';

@Module({
  imports: [
    KeysModule,
    // Per-IP limits for register/login/refresh (ThrottlerGuard on those routes). In memory, so
    // per replica: the account lockout, which lives in MongoDB, is what holds across replicas.
    ThrottlerModule.forRootAsync({
      inject: [AuthSettings],
      useFactory: (settings: AuthSettings) => ({
        throttlers: [{ ttl: settings.throttle.ttlSeconds * 1000, limit: settings.throttle.limit }],
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    PasswordHasher,
    PasswordPolicy,
    AccessTokens,
    SessionsService,
    AuthEvents,
    UserAccounts,
    Credentials,
    SessionTokens,
    Registration,
    Login,
    AccountSecurity,
  ],
})
export class AccountModule {}
