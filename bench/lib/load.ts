import autocannon from 'autocannon';

/** One load run's numbers, as every table and the JSON file show them. */
export interface LoadResult {
  label: string;
  requests: number;
  /** Mean requests per second over the run. */
  rps: number;
  /** Latency in milliseconds. */
  p50: number;
  p99: number;
  /** Responses outside 2xx plus connection errors and timeouts: a run with any is suspect. */
  failures: number;
  durationSeconds: number;
  connections: number;
}

export interface LoadOptions {
  label: string;
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  /** Path (with query) per request, so a run does not hit one cached answer. */
  paths?: readonly string[];
  /** Body per request (POST), cycled like paths. */
  bodies?: readonly string[];
}

/**
 * autocannon (a maintained HTTP/1.1 load generator with HdrHistogram latencies), in this
 * process. Requests cycle through `paths`/`bodies`, each connection at its own offset.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let counter = 0;
  const next = <T>(items: readonly T[] | undefined): T | undefined =>
    items && items.length > 0 ? items[counter++ % items.length] : undefined;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    method: options.method ?? 'GET',
    headers: { ...(options.bodies && { 'content-type': 'application/json' }), ...options.headers },
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          const path = next(options.paths);
          const body = next(options.bodies);
          return { ...request, ...(path !== undefined && { path }), ...(body !== undefined && { body }) };
        },
      },
    ],
  });
  return {
    label: options.label,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    durationSeconds: options.durationSeconds,
    connections: options.connections,
  };
}

/**
 * a ÷ b of two runs' metric, or NaN ("n/a") when either run completed no request: a run that
 * timed out entirely has no latency, and 0 ÷ x would read as "infinitely better".
 */
export function ratioOf(a: LoadResult, b: LoadResult, metric: 'rps' | 'p50' | 'p99'): number {
  if (a.requests === 0 || b.requests === 0 || b[metric] === 0) return Number.NaN;
  return a[metric] / b[metric];
}

/** A note for each run that completed too few requests for its percentiles to mean much. */
export function thinRunNotes(runs: LoadResult[]): string[] {
  return runs
    .filter((r) => r.requests < 100)
    .map((r) => `${r.label}: only ${r.requests} requests completed; its percentiles are rough (raise --duration, or use a faster backend)`);
}
