import { PublicRoute } from '@directory/platform';

/**
 * Opts a route (or controller) out of a globally installed `JwtAuthGuard`. The same
 * metadata the platform puts on `/health` and `/metrics`.
 */
export const Public = PublicRoute;
