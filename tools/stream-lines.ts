import { prettyFactory } from 'pino-pretty';

/** Calls `onLine` for each complete line a child process writes (the last, unfinished one waits for its newline). */
export function onLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}

/** Nest's start-up wiring, a few dozen lines per service at info level; shown with LOG_LEVEL=debug. */
const NEST_WIRING = new Set(['RoutesResolver', 'RouterExplorer', 'InstanceLoader']);

/**
 * How the launcher shows a service's log line (`undefined`: not at all). Nest's route-mapping and
 * module-loading lines are dropped unless `verbose`; with `pretty` (a terminal) the JSON lines are
 * printed by pino-pretty, otherwise they pass through unchanged for log tools. A line that is not
 * JSON (a crash's stack trace) always passes unchanged.
 */
export function serviceLogFormatter(options: {
  pretty: boolean;
  verbose: boolean;
  colorize?: boolean;
}): (line: string) => string | undefined {
  const pretty = options.pretty
    ? prettyFactory({
        colorize: options.colorize ?? options.pretty,
        translateTime: 'SYS:HH:MM:ss',
        // The launcher already prefixes each line with the service's name.
        ignore: 'pid,hostname,service,context',
        messageFormat: '{if context}{context}: {end}{msg}',
        singleLine: true,
      })
    : undefined;
  return (line) => {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return line;
    }
    if (typeof entry !== 'object' || entry === null) return line;
    const { context, level } = entry as { context?: unknown; level?: unknown };
    if (!options.verbose && typeof context === 'string' && NEST_WIRING.has(context) && typeof level === 'number' && level <= 30)
      return undefined;
    return pretty ? pretty(entry).replace(/\n$/, '') : line;
  };
}
