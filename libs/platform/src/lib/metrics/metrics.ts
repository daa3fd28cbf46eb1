import {
  Controller,
  Get,
  Headers,
  Inject,
  Injectable,
  Module,
  Res,
  UnauthorizedException,
  type CallHandler,
  type DynamicModule,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { finalize, type Observable } from 'rxjs';
import { PlatformErrorCode } from '../errors/error-codes';
import { PublicRoute } from '../http/public-route';

const METRICS_TOKEN = 'directory:metrics-token';

export interface MetricsOptions {
  /** When set, a scrape needs `Authorization: Bearer <token>` (METRICS_TOKEN); unset, `/metrics` is open. */
  token?: string;
}

/** Constant-time comparison of the presented bearer token with the configured one. */
export function metricsTokenMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return false;
  // Digests first: equal lengths for timingSafeEqual, and the token's length does not leak.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1] as string), digest(token));
}

/**
 * One registry per app instance (not prom-client's global one), so tests can start several
 * services in one process without "metric already registered" clashes.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }
}

@Injectable()
class HttpMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: ServiceMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const stop = this.metrics.httpDuration.startTimer({ method: req.method });
    return next.handle().pipe(
      finalize(() => {
        // The route template, never the raw path: ids in paths would explode cardinality.
        const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
        stop({ route, status: String(http.getResponse<Response>().statusCode) });
      }),
    );
  }
}

/**
 * Public to the user-token guard (a scraper has no user): with METRICS_TOKEN set it checks its
 * own bearer token instead, and answers 401 in the common error body without it (ASVS 5.0 13.4.5).
 */
@ApiExcludeController()
@PublicRoute()
@Controller('metrics')
class MetricsController {
  constructor(
    private readonly metrics: ServiceMetrics,
    @Inject(METRICS_TOKEN) private readonly token: string | null,
  ) {}

  @Get()
  scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) response: Response): Promise<string> {
    if (this.token !== null && !metricsTokenMatches(authorization, this.token)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException({ message: 'A valid metrics token is required', code: PlatformErrorCode.Unauthorized });
    }
    // Set here, not with @Header: Nest applies those before the handler, and a 401 is JSON.
    response.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return this.metrics.registry.metrics();
  }
}

@Module({})
export class MetricsModule {
  static forService(service: string, options: MetricsOptions = {}): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [
        { provide: ServiceMetrics, useValue: new ServiceMetrics(service) },
        { provide: METRICS_TOKEN, useValue: options.token ?? null },
        { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
      ],
      exports: [ServiceMetrics],
    };
  }
}
