import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, requireMfaForAdmins } from '@directory/auth';
import { ConnectionRole } from '@directory/connections';
import { PlatformModule } from '@directory/platform';
import type { AuthApiConfig } from '../config';
import { AccountModule } from './account/account.module';
import { AccountPagesModule } from './account-pages/account-pages.module';
import { EmailFlowsModule } from './email-flows/email-flows.module';
import { MfaModule } from './mfa/mfa.module';
import { FactorsModule } from './factors/factors.module';
import { PasskeysModule } from './passkeys/passkeys.module';
import { PasswordlessModule } from './passkeys/passwordless.module';
import { AuthSettings } from './auth-settings';
import { Clock } from './clock';
import { KeysModule } from './keys/keys.module';
import { MailModule } from './mail/mail.module';
import { SigningKeys } from './keys/signing-keys';
import { SettingsModule } from './settings.module';

export const SERVICE_NAME = 'auth-api';

export interface AppOverrides {
  /** Tests move time with a fake clock instead of sleeping. */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static register(config: AuthApiConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: SERVICE_NAME, config, roles: [ConnectionRole.Fast] }),
        SettingsModule.register(config, overrides.clock),
        KeysModule,
        // auth-api checks its own tokens with the shared guard, keys resolved in-process
        // instead of fetching its own JWKS over HTTP.
        AuthModule.forRootAsync({
          connectionRole: ConnectionRole.Fast,
          imports: [KeysModule],
          inject: [SigningKeys, AuthSettings, Clock],
          useFactory: (keys: SigningKeys, settings: AuthSettings, clock: Clock) => ({
            issuer: settings.issuer,
            audience: settings.audience,
            verificationKey: (kid) => keys.publicKeyPem(kid),
            // Step-up compares auth_time with auth-api's own clock (tests move it).
            clock: () => clock.now(),
            requireMfaForAdmins: requireMfaForAdmins(config),
          }),
        }),
        AccountModule,
        EmailFlowsModule,
        MfaModule,
        // Second factors: /auth/factors (TOTP, recovery codes) and the admin view and reset.
        FactorsModule,
        // Passkeys: registration (/auth/factors/passkeys) and passwordless sign-in (/auth/passkeys).
        PasskeysModule,
        PasswordlessModule,
        // The pages links in mail open (/account/*), on this origin so they call /auth/* without CORS.
        AccountPagesModule,
        // Delivers the outbox (only with SMTP_URL; otherwise messages wait).
        MailModule,
      ],
    };
  }
}
