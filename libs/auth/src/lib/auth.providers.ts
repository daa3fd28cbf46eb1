import type { Provider } from '@nestjs/common';
import { AuthModuleOptions as PassportOptions } from '@nestjs/passport';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RecentAuthenticationGuard, RecentFactorGuard } from './guards/recent-factor.guard';
import { RolesGuard } from './guards/roles.guard';
import { JwtStrategy } from './verification/jwt.strategy';

/** The strategy and the guards, over the `AUTH_MODULE_OPTIONS` and `TokenRevocation` provided beside them. */
export const GUARD_PROVIDERS: Provider[] = [
  JwtStrategy,
  {
    // What PassportModule.register would provide: JwtAuthGuard authenticates with this
    // module's strategy, under the name the strategy registered.
    provide: PassportOptions,
    useFactory: (strategy: JwtStrategy): PassportOptions => ({ defaultStrategy: strategy.name, session: false, property: 'user' }),
    inject: [JwtStrategy],
  },
  JwtAuthGuard,
  RolesGuard,
  RecentFactorGuard,
  RecentAuthenticationGuard,
];
