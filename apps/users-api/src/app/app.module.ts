import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, requireMfaForAdmins } from '@directory/auth';
import { ConnectionRole } from '@directory/connections';
import { PlatformModule } from '@directory/platform';
import type { UsersApiConfig } from '../config';
import { AccountMailModule } from './account-mail/account-mail.module';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { DirectoryModule } from './directory/directory.module';
import { ExportModule } from './export/export.module';
import { InvitationsModule } from './invitations/invitations.module';
import { ProfileModule } from './profile/profile.module';
import { UserSessionsModule } from './sessions/user-sessions.module';

export const SERVICE_NAME = 'users-api';

@Module({})
export class AppModule {
  static register(config: UsersApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // `fast` serves every request; `slow` carries only exports, so a long export never
        // holds sockets a search is waiting for ("slow trains", PRINCIPLES.md #2).
        PlatformModule.forService({ service: SERVICE_NAME, config, roles: [ConnectionRole.Fast, ConnectionRole.Slow] }),
        // Every route needs a valid access token unless marked @Public() (health and metrics are).
        AuthModule.forRoot({
          jwksUri: config.AUTH_JWKS_URI,
          issuer: config.AUTH_JWT_ISSUER,
          audience: config.AUTH_JWT_AUDIENCE,
          revocationCacheTtlMs: config.AUTH_REVOCATION_CACHE_MS,
          requireMfaForAdmins: requireMfaForAdmins(config),
          connectionRole: ConnectionRole.Fast,
          global: true,
        }),
        // Routes are matched in this order: the fixed paths (/users/export, PATCH /users/me,
        // /users/invitations, /users/mail) must come before the /users/:id routes of the
        // directory and admin modules.
        ExportModule,
        ProfileModule,
        InvitationsModule,
        AccountMailModule,
        DirectoryModule,
        AdminModule,
        AuditModule,
        UserSessionsModule,
      ],
    };
  }
}
