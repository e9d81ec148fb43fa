/**
 * Held responses for `stallNext()`: a matching request gets its status, headers and the first
 * `afterBytes` bytes of its body, then nothing until `release()` (or the fake closes). This is
 * what a half-dead connection to Lark looks like from the client: the download started, then no
 * byte arrives any more.
 */
import { TOKEN_PATH } from './failure-injector.js';

export interface StallRule {
  method?: string;
  /** Substring of the path. Without it, every path but the token endpoint matches. */
  pathIncludes?: string;
  /** How many matching requests are held (default 1). */
  times?: number;
  /** Body bytes sent before the stall (default 0: headers only). */
  afterBytes?: number;
}

/** A queued stall: how many requests it holds now, and the switch that lets them finish. */
export class Stall {
  private held = 0;
  private waiters: { n: number; resolve: () => void }[] = [];
  private gate!: () => void;
  readonly released: Promise<void> = new Promise((resolve) => (this.gate = resolve));

  constructor(readonly rule: StallRule) {}

  /** Requests being held right now. */
  get holding(): number {
    return this.held;
  }

  /** Resolves once `n` requests (default 1) have been held at the same time. */
  reached(n = 1): Promise<void> {
    if (this.held >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** Lets every held request (and any later one this rule matches) finish its body. */
  release(): void {
    this.gate();
  }

  /** @internal the server holds one request */
  enter(): void {
    this.held += 1;
    for (const w of this.waiters.filter((x) => x.n <= this.held)) w.resolve();
    this.waiters = this.waiters.filter((x) => x.n > this.held);
  }

  /** @internal a held request was let go or its client went away */
  leave(): void {
    this.held -= 1;
  }
}

export class StallInjector {
  private rules: { stall: Stall; remaining: number }[] = [];
  private all: Stall[] = [];

  add(rule: StallRule): Stall {
    const stall = new Stall(rule);
    this.rules.push({ stall, remaining: rule.times ?? 1 });
    this.all.push(stall);
    return stall;
  }

  /** Consume the first rule matching the request, if any. */
  take(method: string, path: string): Stall | undefined {
    const entry = this.rules.find(({ stall: { rule } }) => {
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
      if (rule.pathIncludes !== undefined) return path.includes(rule.pathIncludes);
      return path !== TOKEN_PATH;
    });
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.rules = this.rules.filter((r) => r !== entry);
    return entry.stall;
  }

  /** Forget queued rules and let every held request finish. */
  clear(): void {
    for (const stall of this.all) stall.release();
    this.rules = [];
    this.all = [];
  }
}
