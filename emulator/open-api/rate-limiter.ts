/**
 * Sliding-window counters driven by an injected clock, so tests can step time
 * instead of sleeping. One key = one window (use distinct keys for a per-second
 * and a per-minute limit on the same thing).
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  /**
   * How long (ms) until another hit fits under `limit` in `windowMs`; 0 means it
   * fits now. Does not record anything.
   */
  waitTime(key: string, limit: number, windowMs: number, now: number): number {
    const recent = this.prune(key, windowMs, now);
    if (recent.length < limit) return 0;
    const oldest = recent[recent.length - limit] ?? now;
    return Math.max(1, oldest + windowMs - now);
  }

  record(key: string, now: number): void {
    const list = this.hits.get(key) ?? [];
    list.push(now);
    this.hits.set(key, list);
  }

  /** Check and record in one step (gateway-style: every request counts). */
  take(key: string, limit: number, windowMs: number, now: number): number {
    const wait = this.waitTime(key, limit, windowMs, now);
    if (wait === 0) this.record(key, now);
    return wait;
  }

  reset(): void {
    this.hits.clear();
  }

  private prune(key: string, windowMs: number, now: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - windowMs);
    this.hits.set(key, list);
    return list;
  }
}
