/**
 * Sliding-window pacing: at most `limit` starts per `windowMs` for each key. Lark counts sends per
 * user and per chat (5/s), per app (50/s) and per API (1,000/min); staying under the limit is cheaper than being refused.
 */
export class RateLimiter {
  private starts = new Map<string, number[]>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Milliseconds until `key` may start again (0 = now), without recording a start. */
  waitFor(key: string): number {
    const t = this.now();
    const recent = this.recent(key, t);
    return recent.length >= this.limit ? this.windowMs - (t - recent[0]!) : 0;
  }

  /** Milliseconds until `key` may start again (0 = now); records the start when it is 0. */
  tryTake(key: string): number {
    const wait = this.waitFor(key);
    if (wait === 0) this.starts.get(key)!.push(this.now());
    return wait;
  }

  /** The starts of `key` still inside the window (stored back, so old ones are dropped once). */
  private recent(key: string, t: number): number[] {
    const recent = (this.starts.get(key) ?? []).filter((s) => t - s < this.windowMs);
    this.starts.set(key, recent);
    return recent;
  }

  /** How many starts `key` may make right now without waiting. */
  available(key: string): number {
    const t = this.now();
    return Math.max(0, this.limit - this.recent(key, t).length);
  }

  /** Forget idle keys so a long-running bot does not keep one entry per user forever. */
  prune() {
    const t = this.now();
    for (const [k, v] of this.starts) if (v.every((s) => t - s >= this.windowMs)) this.starts.delete(k);
  }
}
