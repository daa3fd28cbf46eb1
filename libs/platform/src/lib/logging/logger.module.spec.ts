import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { logOutput, REDACTED_PATHS, REDACTION_CENSOR } from './logger.module';

describe('logOutput', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'directory-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('without DIRECTORY_LOG_FILE keeps the configured level and pino’s stdout', () => {
    expect(logOutput('warn', '')).toEqual({ level: 'warn' });
  });

  it('with a file, appends redacted JSON lines at debug even when stdout is silent', () => {
    const file = join(dir, 'nested', 'run.ndjson');
    const output = logOutput('silent', file);
    expect(output.level).toBe('debug');
    const logger = pino({ level: output.level, redact: { paths: REDACTED_PATHS, censor: REDACTION_CENSOR } }, output.stream);
    logger.debug({ body: { password: 'hunter2 hunter2' } }, 'debug line');
    logger.trace('too verbose for the file');

    const written = lines(file);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ msg: 'debug line', body: { password: REDACTION_CENSOR } });
  });

  it('keeps a more verbose LOG_LEVEL for the file, and appends rather than truncates', () => {
    const file = join(dir, 'run.ndjson');
    for (const message of ['first', 'second']) {
      const output = logOutput('trace', file);
      expect(output.level).toBe('trace');
      pino({ level: output.level }, output.stream).trace(message);
    }
    expect(lines(file).map((line) => line['msg'])).toEqual(['first', 'second']);
  });
});
