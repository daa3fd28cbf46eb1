import { SetMetadata } from '@nestjs/common';

/**
 * Marks a controller or handler as reachable without authentication. Platform routes
 * (health probes, metrics) carry it so a service may install an authentication guard
 * globally (libs/auth `AuthModule` with `global: true`) without locking out its probes;
 * libs/auth's `@Public()` sets the same key.
 */
export const PUBLIC_ROUTE_KEY = 'directory:public-route';

export const PublicRoute = (): ClassDecorator & MethodDecorator => SetMetadata(PUBLIC_ROUTE_KEY, true);
