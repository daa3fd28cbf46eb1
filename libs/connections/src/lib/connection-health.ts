import { Logger } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Connection } from 'mongoose';

/**
 * Readiness of one role's connection: a `ping` on that pool, bounded in time.
 *
 * The probe is public, so a failure answers only `{ status: 'down' }`: the driver's error text
 * names hosts, ports, replica-set members and addresses, and goes to the log instead (ASVS 5.0
 * 16.5.1 generic errors to the consumer, 13.4.5 monitoring endpoints expose no internals).
 */
export class ConnectionHealthIndicator {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly connection: Connection,
    private readonly indicators: HealthIndicatorService,
    private readonly timeoutMs = 1_500,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(this.ping(), this.timeoutMs);
      return indicator.up();
    } catch (error) {
      this.logger.warn(
        { check: key, err: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
        'readiness check failed',
      );
      return indicator.down();
    }
  }

  private async ping(): Promise<void> {
    const db = this.connection.db;
    if (!db) throw new Error('not connected');
    await db.command({ ping: 1 });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
