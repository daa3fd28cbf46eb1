import { ConnectionRole } from '@directory/connections';
import { Controller, Get, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { AuthModule, Authenticated, CurrentUser, Public, type AuthenticatedUser, type AuthModuleOptions } from '@directory/auth';
import { baseConfigSchema, loadConfig, PlatformModule } from '@directory/platform';
import { createTestApp, testEnv } from '@directory/testing';

@Controller('probe')
class ProbeController {
  @Get('me')
  @Authenticated()
  me(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }

  @Get('admin')
  @Authenticated('admin')
  admin(): { ok: true } {
    return { ok: true };
  }
}

/** Everything behind the global guard unless marked public. */
@Controller('global')
class GlobalGuardController {
  @Get('open')
  @Public()
  open(): { ok: true } {
    return { ok: true };
  }

  @Get('closed')
  closed(@CurrentUser() user: AuthenticatedUser): { id: string } {
    return { id: user.id };
  }
}

/**
 * A stand-in for users-api / admin-analytics: its own app on the same database, verifying
 * auth-api's tokens only through the JWKS endpoint, on the `slow` connection as
 * admin-analytics does.
 */
export function startProbeApp(dbName: string, options: AuthModuleOptions & { global?: boolean }): Promise<INestApplication> {
  const config = loadConfig(baseConfigSchema, testEnv(dbName));
  const module: DynamicModule = {
    module: class ProbeModule {},
    imports: [
      PlatformModule.forService({ service: 'probe', config, roles: [ConnectionRole.Slow] }),
      AuthModule.forRoot({ ...options, connectionRole: ConnectionRole.Slow }),
    ],
    controllers: [options.global ? GlobalGuardController : ProbeController],
  };
  Module({})(module.module);
  return createTestApp(module, { title: 'probe', description: 'JWT guard probe' });
}
