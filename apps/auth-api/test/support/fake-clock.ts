import { Clock } from '../../src/app/clock';

/** Time that moves only when a test says so. */
export class FakeClock extends Clock {
  private current: number;

  constructor(start = new Date()) {
    super();
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
