import { Logger, type LoggerService } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import mongoose, { type Connection } from 'mongoose';
import { ConnectionHealthIndicator } from './connection-health';

// The database comes from the Jest global setup (MONGODB_URI).
const uri = process.env['MONGODB_URI'] as string;

/** The first host:port of a mongodb:// URI (the test database is a single server). */
function firstHost(mongodbUri: string): { host: string; port: number } {
  const hosts = /^mongodb:\/\/(?:[^@/]*@)?([^/?]+)/.exec(mongodbUri)?.[1] ?? '';
  const first = hosts.split(',')[0] ?? '';
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(first);
  return { host: match?.[1] ?? '127.0.0.1', port: Number(match?.[2] ?? 27017) };
}

/** A TCP relay to the test database that the test can cut, as a database that goes away would. */
async function relay(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

describe('ConnectionHealthIndicator (real driver through a relay that goes away)', () => {
  const warnings: unknown[][] = [];
  const capture: LoggerService = { log: () => undefined, error: () => undefined, warn: (...args: unknown[]) => void warnings.push(args) };

  beforeAll(() => Logger.overrideLogger(capture));
  afterAll(() => Logger.overrideLogger(new Logger()));

  // ASVS 5.0 16.5.1 (generic message to the consumer) and 13.4.5 (a public monitoring endpoint
  // exposes no internals): the driver's error names the host and port; the result must not.
  it('reports a lost database as down with no error text, host or port; the details go to the log', async () => {
    if (!uri.startsWith('mongodb://')) return; // a +srv URI has no host to relay to
    const proxy = await relay(firstHost(uri));
    const params = new URLSearchParams({ directConnection: 'true', serverSelectionTimeoutMS: '300', connectTimeoutMS: '300' });
    const connection: Connection = mongoose.createConnection(`mongodb://127.0.0.1:${proxy.port}/?${params}`);
    connection.on('error', () => undefined);
    try {
      await connection.asPromise();
      const indicator = new ConnectionHealthIndicator(connection, new HealthIndicatorService());
      expect(await indicator.check('mongodb-fast')).toEqual({ 'mongodb-fast': { status: 'up' } });

      await proxy.cut();
      const down = await indicator.check('mongodb-fast');
      expect(down).toEqual({ 'mongodb-fast': { status: 'down' } });
      expect(JSON.stringify(down)).not.toContain(String(proxy.port));

      const logged = JSON.stringify(warnings);
      expect(logged).toContain('readiness check failed');
      expect(logged).toContain('mongodb-fast');
      expect(logged).toMatch(/Mongo\w*Error|no answer within/); // the operator still learns why
    } finally {
      await connection.close().catch(() => undefined);
    }
  });
});
