/**
 * A short-lived in-process memo of answers, keyed by endpoint and parameters. A dashboard
 * refresh storm then costs one aggregation per distinct question: identical requests in
 * flight share one promise, and a settled answer is reused until it is `ttlMs` old.
 * Failures are never kept. Per process on purpose: a few seconds of staleness is fine for
 * analytics and needs no shared store.
 */
export class AnswerCache {
  private readonly settled = new Map<string, { value: unknown; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 500,
    private readonly now: () => number = Date.now,
  ) {}

  async getOrCompute<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.settled.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value as T;
    if (hit) this.settled.delete(key);
    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const promise = compute().then((value) => {
      this.remember(key, value);
      return value;
    });
    this.inFlight.set(key, promise);
    try {
      return await promise;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private remember(key: string, value: unknown): void {
    if (this.ttlMs <= 0) return;
    if (this.settled.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest answer.
      const oldest = this.settled.keys().next().value;
      if (oldest !== undefined) this.settled.delete(oldest);
    }
    this.settled.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }
}
