import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream, type Level, type LevelWithSilent } from 'pino';
import type { DynamicModule } from '@nestjs/common';
import type { Options as PinoHttpOptions } from 'pino-http';

const INCOMING_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Paths that must never reach a log line, whatever a developer logs by mistake. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.secret',
  '*.refreshToken',
  '*.accessToken',
  '*.tokenHash',
];

/** A caller's `x-request-id` is kept when it looks sane, so ids follow a request across services. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** The redaction marker; tools/jest/log-hygiene.cjs accepts only this as a secret field's value. */
export const REDACTION_CENSOR = '[redacted]';

/** Names the file every log line is also appended to (the test runs scan it for secrets). */
export const LOG_FILE_ENV = 'DIRECTORY_LOG_FILE';

/** The file copy records at least this much, whatever LOG_LEVEL says (tests run with `silent`). */
const LOG_FILE_MIN_LEVEL: Level = 'debug';

export interface LogOutput {
  /** The logger's own level: the most verbose of its destinations. */
  level: LevelWithSilent;
  /** Undefined: pino's default stdout destination. */
  stream?: DestinationStream;
}

/**
 * stdout at LOG_LEVEL and, when DIRECTORY_LOG_FILE is set, the same JSON lines appended to
 * that file at debug or more verbose. Redaction runs before either destination sees a line.
 * The file is opened for append with synchronous writes, so several processes (Jest workers,
 * services under test) can share one file without interleaving lines or losing the last ones
 * on exit.
 */
export function logOutput(level: LevelWithSilent, file = process.env[LOG_FILE_ENV]): LogOutput {
  if (!file) return { level };
  const values = pino.levels.values;
  const fileLevel: Level = level !== 'silent' && values[level] < values[LOG_FILE_MIN_LEVEL] ? level : LOG_FILE_MIN_LEVEL;
  const streams: pino.StreamEntry[] = [
    { level: fileLevel, stream: pino.destination({ dest: file, append: true, mkdir: true, sync: true }) },
  ];
  if (level !== 'silent') streams.push({ level, stream: pino.destination({ dest: 1, sync: true }) });
  return { level: fileLevel, stream: pino.multistream(streams) };
}

/** Structured JSON logs (pino) with a request id on every line of a request. */
export function loggingModule(service: string, level: string): DynamicModule {
  const output = logOutput(level as LevelWithSilent);
  const options: PinoHttpOptions = {
    level: output.level,
    base: { service },
    genReqId: requestId,
    redact: { paths: REDACTED_PATHS, censor: REDACTION_CENSOR },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Probes and scrapes every few seconds would drown the log.
    autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
    serializers: {
      // Only method, path and id: query strings may carry search terms.
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url?.split('?')[0],
      }),
    },
  };
  return LoggerModule.forRoot({ pinoHttp: output.stream ? [options, output.stream] : options });
}
