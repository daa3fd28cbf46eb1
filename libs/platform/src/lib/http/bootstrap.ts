import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, docsEnabled, type BaseConfig } from '../config/load-config';
import { SERVICE_CONFIG } from '../platform.module';
import { redactUri } from '../config/redact-uri';
import { configureApp, type HttpOptions } from './configure-app';

export interface ServiceStart extends HttpOptions {
  service: string;
  host: string;
  port: number;
  mongodbUri: string;
}

const REQUIRED_NODE_MAJOR = 24;

/** Stops with one line when the runtime is older than the project supports. */
export function assertNodeVersion(version = process.versions.node): void {
  const major = Number(version.split('.')[0]);
  if (major < REQUIRED_NODE_MAJOR) {
    process.stderr.write(`Directory needs Node.js ${REQUIRED_NODE_MAJOR} or newer; this is ${version}.\n`);
    process.exit(1);
  }
}

/** Prints a start-up failure as one line a person can act on, then exits 1. */
export function exitOnStartupError(service: string, error: unknown, mongodbUri?: string): never {
  let line: string;
  if (error instanceof ConfigError) line = error.message;
  else if (error instanceof Error && /^Mongo/.test(error.name)) {
    line = `cannot reach MongoDB at ${redactUri(mongodbUri ?? '?')}: ${error.message}`;
  } else line = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${service}: ${line}\n`);
  process.exit(1);
}

/**
 * Starts a service: builds the app, applies the shared HTTP setup, listens, and on SIGTERM or
 * SIGINT stops accepting connections, lets in-flight requests finish, closes database
 * connections and exits 0.
 */
export async function bootstrapService(module: DynamicModule | Type, start: ServiceStart): Promise<INestApplication> {
  let app: INestApplication;
  try {
    app = await NestFactory.create(module, { bufferLogs: true, abortOnError: false });
  } catch (error) {
    exitOnStartupError(start.service, error, start.mongodbUri);
  }
  configureApp(app, start);
  await app.listen(start.port, start.host);
  const logger = app.get(Logger);
  const base = `http://${start.host === '0.0.0.0' ? 'localhost' : start.host}:${start.port}`;
  const docs = docsEnabled(app.get<BaseConfig>(SERVICE_CONFIG, { strict: false })) ? `docs ${base}/docs` : 'docs disabled';
  logger.log(`${start.service} listening on ${base} (${docs})`, 'Bootstrap');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, draining`, 'Bootstrap');
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return app;
}
