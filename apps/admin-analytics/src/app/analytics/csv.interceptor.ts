import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { toCsv } from './csv';

/**
 * Content negotiation for answers: `Accept: text/csv` gets the answer's `rows` as CSV, anything
 * else (including `*\/*`) JSON. generatedAt travels in the X-Generated-At header then.
 */
@Injectable()
export class CsvInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    response.vary('Accept');
    if (request.accepts(['application/json', 'text/csv']) !== 'text/csv') return next.handle();
    return next.handle().pipe(
      map((answer: { rows: Record<string, unknown>[]; generatedAt?: string }) => {
        response.type('text/csv; charset=utf-8');
        if (answer.generatedAt) response.setHeader('X-Generated-At', answer.generatedAt);
        return toCsv(answer.rows);
      }),
    );
  }
}
