import { Controller, Get, Inject, Module, type DynamicModule } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { connectionHealthToken, type ConnectionHealthIndicator, type ConnectionRole } from '@directory/connections';
import { PublicRoute } from '../http/public-route';

const READINESS_CHECKS = 'directory:readiness-checks';

function healthController(roles: readonly ConnectionRole[]) {
  @ApiTags('health')
  @PublicRoute()
  @Controller('health')
  class HealthController {
    constructor(
      private readonly health: HealthCheckService,
      @Inject(READINESS_CHECKS) private readonly checks: ConnectionHealthIndicator[],
    ) {}

    /** The process is up; says nothing about its dependencies. */
    @Get('live')
    @HealthCheck()
    live() {
      return this.health.check([]);
    }

    /** Ready to serve: this service's own connection answers a ping (503 otherwise). */
    @Get('ready')
    @HealthCheck()
    ready() {
      return this.health.check(this.checks.map((check, i) => () => check.check(`mongodb-${roles[i]}`)));
    }
  }
  return HealthController;
}

@Module({})
export class HealthModule {
  static forRoles(roles: readonly ConnectionRole[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [healthController(roles)],
      providers: [
        {
          provide: READINESS_CHECKS,
          useFactory: (...checks: ConnectionHealthIndicator[]) => checks,
          inject: roles.map(connectionHealthToken),
        },
      ],
    };
  }
}
