import { PassThrough } from 'node:stream';
import { onLines, serviceLogFormatter } from './stream-lines';

/** Lines as a service writes them (nestjs-pino, libs/platform logging). */
const routeMapping = JSON.stringify({
  level: 30,
  time: 1764546000000,
  pid: 7,
  hostname: 'h',
  service: 'auth-api',
  context: 'RouterExplorer',
  msg: 'Mapped {/auth/login, POST} route',
});
const listening = JSON.stringify({
  level: 30,
  time: 1764546000000,
  pid: 7,
  hostname: 'h',
  service: 'auth-api',
  context: 'Bootstrap',
  msg: 'auth-api listening on http://localhost:3001',
});
const refused = JSON.stringify({
  level: 40,
  time: 1764546000000,
  pid: 7,
  hostname: 'h',
  service: 'auth-api',
  req: { id: 'r1', method: 'POST', path: '/auth/login' },
  res: { statusCode: 401 },
  msg: 'request completed',
});

describe("how npm start shows the services' log lines (tools/stream-lines.ts)", () => {
  it("on a terminal: pino-pretty's level and message, without the launcher's own prefix fields or Nest's route mapping", () => {
    const format = serviceLogFormatter({ pretty: true, verbose: false, colorize: false });
    expect(format(routeMapping)).toBeUndefined();
    expect(format(listening)).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: Bootstrap: auth-api listening on http:\/\/localhost:3001$/);
    const line = format(refused) as string;
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: request completed /);
    expect(line).toContain('"path":"/auth/login"');
    expect(line).not.toContain('hostname');
    expect(line).not.toContain('\n');
  });

  it('piped: the JSON line unchanged, still without the route mapping', () => {
    const format = serviceLogFormatter({ pretty: false, verbose: false });
    expect(format(routeMapping)).toBeUndefined();
    expect(format(refused)).toBe(refused);
  });

  it('with LOG_LEVEL=debug (verbose) the route mapping shows; a line that is not JSON always passes as it is', () => {
    expect(serviceLogFormatter({ pretty: false, verbose: true })(routeMapping)).toBe(routeMapping);
    expect(serviceLogFormatter({ pretty: true, verbose: false })('    at bootstrap (main.js:1:1)')).toBe('    at bootstrap (main.js:1:1)');
    // A warning from the route explorer is not start-up chatter.
    const warning = JSON.stringify({ level: 40, context: 'RouterExplorer', msg: 'duplicate route' });
    expect(serviceLogFormatter({ pretty: false, verbose: false })(warning)).toBe(warning);
  });

  it('onLines hands over whole lines only', () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    onLines(stream, (line) => lines.push(line));
    stream.write('first\nsec');
    stream.write('ond\nthi');
    expect(lines).toEqual(['first', 'second']);
  });
});
