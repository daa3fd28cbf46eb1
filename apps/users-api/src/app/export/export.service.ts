import { Injectable, Logger, NotAcceptableException, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectModel } from '@nestjs/mongoose';
import { ServiceMetrics } from '@directory/platform';
import { ModelName, type UserFields } from '@directory/schemas';
import type { Request, Response } from 'express';
import type { Model } from 'mongoose';
import { Counter } from 'prom-client';
import { pipeline } from 'node:stream/promises';
import { CSV_COLUMNS, csvHeader, csvRow } from './csv';
import { NAME_ORDER, type UserFilter } from './user-filter';
import { ADMIN_USER_VIEW_PROJECTION, toUserView, type LeanUser } from './user-view';

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
export class ExportService implements OnModuleInit {
  private readonly logger = new Logger('UsersExport');
  private rowsRead?: Counter;

  constructor(
    @InjectModel(ModelName.User, 'slow') private readonly users: Model<UserFields>,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // The platform's per-app registry; MetricsModule does not export it to feature modules.
    const metrics = this.moduleRef.get(ServiceMetrics, { strict: false });
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
    throw new NotAcceptableException({ message: `Accept ${EXPORT_FORMATS.ndjson} or ${EXPORT_FORMATS.csv}`, code: 'not_acceptable' });
  }

  async stream(filter: UserFilter, format: keyof typeof EXPORT_FORMATS, res: Response): Promise<void> {
    const cursor = this.users.find(filter, ADMIN_USER_VIEW_PROJECTION).sort(NAME_ORDER).lean<LeanUser[]>().batchSize(EXPORT_BATCH_SIZE).cursor();
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
    const counter = this.rowsRead?.labels(format);
    res.status(200);
    res.setHeader('Content-Type', `${EXPORT_FORMATS[format]}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="users.${format}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');

    async function* lines(): AsyncGenerator<string> {
      try {
        if (format === 'csv') yield csvHeader(CSV_COLUMNS);
        for (let next = first; !next.done; next = await rows.next()) {
          counter?.inc();
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
