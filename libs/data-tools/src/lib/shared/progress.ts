import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { formatCount, formatDuration, perSecond } from './format';

/** One counter shown to the operator: users written, events written, rows read, ... */
export interface ProgressTask {
  increment(by: number): void;
  /** The total may be an estimate refined as work proceeds (events per user are only known once generated). */
  setTotal(total: number): void;
}

export interface Progress {
  task(label: string, total: number, unit: string): ProgressTask;
  /** Final redraw; call once, also on failure, so the terminal gets its cursor back. */
  stop(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Bars need a terminal; otherwise (CI, a log file) one line per ~10% instead. Defaults to `stream.isTTY`. */
  interactive?: boolean;
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stdout;
  return (options.interactive ?? stream.isTTY === true) ? new BarProgress(stream) : new LineProgress(stream);
}

/** For tests and library callers that report on their own. */
export const silentProgress: Progress = {
  task: () => ({ increment: () => undefined, setTotal: () => undefined }),
  stop: () => undefined,
};

const LABEL_WIDTH = 10;

class BarProgress implements Progress {
  private readonly bars: MultiBar;

  constructor(stream: NodeJS.WriteStream) {
    this.bars = new MultiBar(
      {
        stream,
        format: '{label} [{bar}] {percentage}% | {value}/{total} {unit} | {rate}/s | ETA {eta_formatted}',
        formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? formatCount(value) : String(value)),
        hideCursor: true,
        clearOnComplete: false,
        // ETA from the last ~50 updates rather than from the start: batches vary in cost.
        etaBuffer: 50,
        fps: 5,
      },
      Presets.shades_classic,
    );
  }

  task(label: string, total: number, unit: string): ProgressTask {
    const started = Date.now();
    let value = 0;
    const payload = () => ({ label: label.padEnd(LABEL_WIDTH), unit, rate: formatCount(perSecond(value, Date.now() - started)) });
    const bar: SingleBar = this.bars.create(Math.max(total, 1), 0, payload());
    return {
      increment: (by) => {
        value += by;
        bar.increment(by, payload());
      },
      setTotal: (next) => bar.setTotal(Math.max(next, value, 1)),
    };
  }

  stop(): void {
    this.bars.stop();
  }
}

class LineProgress implements Progress {
  constructor(private readonly stream: NodeJS.WriteStream) {}

  task(label: string, total: number, unit: string): ProgressTask {
    const started = Date.now();
    let value = 0;
    let currentTotal = Math.max(total, 1);
    let printedDecile = 0;
    return {
      increment: (by) => {
        value += by;
        const decile = Math.min(10, Math.floor((value / currentTotal) * 10));
        if (decile <= printedDecile) return;
        printedDecile = decile;
        const elapsed = Date.now() - started;
        const rate = perSecond(value, elapsed);
        const eta = rate > 0 ? ((currentTotal - value) / rate) * 1000 : 0;
        this.stream.write(
          `${label.padEnd(LABEL_WIDTH)} ${String(decile * 10).padStart(3)}% ${formatCount(value)}/${formatCount(currentTotal)} ${unit}` +
            ` | ${formatCount(rate)} ${unit}/s | ${decile < 10 ? `ETA ${formatDuration(eta)}` : `in ${formatDuration(elapsed)}`}\n`,
        );
      },
      setTotal: (next) => {
        currentTotal = Math.max(next, value, 1);
      },
    };
  }

  stop(): void {
    // Lines are complete as written.
  }
}
