import { Injectable, Logger, NotAcceptableException } from '@nestjs/common';
import { ConnectionRole } from '@directory/connections';
import { InjectRepository, toUserView, UsersRepository, type LeanUser, type UserFilter } from '@directory/data-access';
import { ServiceMetrics } from '@directory/platform';
import type { Request, Response } from 'express';
import { Counter } from 'prom-client';
import { pipeline } from 'node:stream/promises';
import { UsersErrorCode } from '../common/errors';
import { CSV_COLUMNS, csvHeader, csvRow } from './csv';

export const EXPORT_FORMATS = { ndjson: 'application/x-ndjson', csv: 'text/csv' } as const;

/** Documents per getMore: memory per export stays about one batch, whatever the total. */
const EXPORT_BATCH_SIZE = 200;

/**
 * GET /users/export: every match of the directory filters, streamed row by row from a
 * Mongoose cursor on the `slow` connection (an export is known-slow work and must not hold
 * the sockets searches use, PRINCIPLES.md #2). `pipeline` gives backpressure: when the
 * client reads slowly the cursor is not advanced, so memory stays constant and there is no
 * row cap.
 */
@Injectable()
export class ExportService {
  private readonly logger = new Logger('UsersExport');
  private readonly rowsRead: Counter;

  constructor(
    @InjectRepository(UsersRepository, ConnectionRole.Slow) private readonly users: UsersRepository,
    metrics: ServiceMetrics,
  ) {
    this.rowsRead = new Counter({
      name: 'users_export_rows_total',
      help: 'Users read from the database by exports (grows while an export streams)',
      labelNames: ['format'],
      registers: [metrics.registry],
    });
  }

  /** The format the client accepts (NDJSON when it accepts anything), else 406. */
  negotiate(req: Request): keyof typeof EXPORT_FORMATS {
    const accepted = req.accepts([EXPORT_FORMATS.ndjson, EXPORT_FORMATS.csv]);
    if (accepted === EXPORT_FORMATS.csv) return 'csv';
    if (accepted === EXPORT_FORMATS.ndjson) return 'ndjson';
    throw new NotAcceptableException({
      message: `Accept ${EXPORT_FORMATS.ndjson} or ${EXPORT_FORMATS.csv}`,
      code: UsersErrorCode.NotAcceptable,
    });
  }

  async stream(filter: UserFilter, format: keyof typeof EXPORT_FORMATS, res: Response): Promise<void> {
    const cursor = this.users.streamForAdmin(filter, EXPORT_BATCH_SIZE);
    const rows = cursor[Symbol.asyncIterator]() as AsyncIterator<LeanUser>;
    // The first batch is read before any header goes out, so a database that is down is
    // still a clean 503 from the exception filter; later failures can only cut the stream.
    let first: IteratorResult<LeanUser>;
    try {
      first = await rows.next();
    } catch (error) {
      await cursor.close().catch(() => undefined);
      throw error;
    }
    const counter = this.rowsRead.labels(format);
    res.status(200);
    res.setHeader('Content-Type', `${EXPORT_FORMATS[format]}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="users.${format}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');

    async function* lines(): AsyncGenerator<string> {
      try {
        if (format === 'csv') yield csvHeader(CSV_COLUMNS);
        for (let next = first; !next.done; next = await rows.next()) {
          counter.inc();
          const view = toUserView(next.value, { admin: true });
          yield format === 'csv' ? csvRow(CSV_COLUMNS, view) : `${JSON.stringify(view)}\n`;
        }
      } finally {
        await cursor.close().catch(() => undefined);
      }
    }
    try {
      await pipeline(lines, res);
    } catch (error) {
      // Headers are out: the only honest signal left is an unterminated (cut) response.
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'export stream ended early');
      res.destroy();
    }
  }
}
