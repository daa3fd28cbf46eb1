import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { requestId } from '../logging/logger.module';
import { mapError } from './map-error';

/**
 * The single exception filter of every service. Clients get a status, a short message and
 * the request id; unexpected errors are logged with an `errorId` the client can quote.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: string }>();
    const { status, body, unexpected } = mapError(exception);
    // Body-parser errors happen before the logger middleware has assigned an id.
    request.id ??= requestId(request, response);
    const extra: Record<string, unknown> = { requestId: request.id };
    if (unexpected) {
      const errorId = randomUUID();
      extra['errorId'] = errorId;
      this.logger.error({ err: exception, errorId, requestId: request.id }, 'unhandled error');
    } else if (status >= 500) {
      this.logger.warn({ requestId: request.id, code: body.code, err: describe(exception) }, body.message as string);
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.status(status).json({ ...body, ...extra });
  }
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
