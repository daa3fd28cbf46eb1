import type { BenchEnvironment } from '../lib/environment';
import type { BenchmarkOutcome } from '../lib/report';
import type { ServiceName } from '../lib/services';

export interface Benchmark {
  name: string;
  title: string;
  /** How it is measured, for docs/benchmarks.md. */
  method: string;
  services: ServiceName[];
  run(env: BenchEnvironment): Promise<BenchmarkOutcome>;
}
