import { databaseDeadlineMs, DatabaseDeadlineError, withDatabaseDeadline } from '../db/client.js';
import type { Logger } from './logger.js';

/**
 * A worker that runs `tick` again and again: straight away while it finds work, otherwise after
 * `pollMs` or as soon as someone calls kick(). The inbox and outbox workers both poll the database
 * this way, so a missed wake-up only costs one poll interval and work left by another process is
 * still found.
 *
 * A tick that has not finished by `deadlineMs` counts as failed (back-off, logged once) and is no
 * longer waited for: a database call lost with its connection may never settle, and the worker
 * must go on once the database answers again. What the abandoned tick had leased comes back by the
 * subclass's interrupted/lost-claim bookkeeping or, failing that, by the lease.
 */
export abstract class PollingWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Whether a kick may cut the current wait short (the idle poll wait only). */
  private kickWakes = false;
  private kicked = false;
  /** Consecutive failed ticks: the worker backs off and logs once per change of state, not per poll. */
  private failures = 0;
  /** When the last tick ended (Date.now()), for the least gap. */
  private lastTickEnd = 0;

  constructor(
    private readonly name: string,
    private readonly pollMs: number,
    private readonly log: Logger,
    /** Longer than any healthy database call (default: derived from the PostgreSQL timeouts). */
    protected readonly deadlineMs: number = databaseDeadlineMs(),
    /** Told of each failure; true when it has reported it itself (a full disk), so it is logged quietly here. */
    protected readonly reported: (err: unknown) => boolean = () => false,
    /**
     * Least time between the end of a tick and the next one started by kicks that came meanwhile:
     * for work that only needs doing once after a burst of kicks, not once per kick.
     */
    private readonly minGapMs = 0,
  ) {}

  /** Does one round of work; returns how much it found (0 = sleep until the next poll or kick). */
  abstract tick(): Promise<number>;

  start() {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the tick in progress (deliveries in flight finish). */
  async stop() {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Something new was stored: work now instead of at the next poll. */
  kick() {
    this.kicked = true;
    if (this.kickWakes) this.wake?.();
  }

  private async run() {
    while (this.running) {
      let found = 0;
      try {
        found = await withDatabaseDeadline(this.tick(), this.deadlineMs, `${this.name} tick`);
        if (this.failures > 0) {
          this.log.info({ worker: this.name, failures: this.failures }, `${this.name} worker recovered`);
          this.failures = 0;
        }
      } catch (err) {
        // A tick given up at its deadline is logged even while failing: it is rare and worth knowing.
        if (this.reported(err)) this.log.debug({ err: { message: (err as Error)?.message }, worker: this.name, failures: this.failures }, `${this.name} tick failed: disk full`);
        else if (this.failures === 0 || err instanceof DatabaseDeadlineError) this.log.error({ err, worker: this.name }, `${this.name} tick failed; retrying with back-off until it works again`);
        else this.log.debug({ err: { message: (err as Error)?.message }, worker: this.name, failures: this.failures }, `${this.name} tick still failing`);
        this.failures++;
      }
      this.lastTickEnd = Date.now();
      if (!this.running) break;
      // While failing (database down) wait pollMs, 2×, 4× … up to 10 s, and kicks do not cut it short.
      const idle = this.failures === 0 && found === 0 && !this.kicked;
      const waitMs = this.failures > 0 ? Math.min(this.pollMs * 2 ** (this.failures - 1), 10_000) : idle ? this.pollMs : found === 0 ? this.minGapMs : 0;
      if (waitMs > 0) await this.pause(waitMs, idle);
      // A kick that woke an idle worker soon after its last tick still leaves the least gap: kicks
      // that come further apart than a tick takes would otherwise each start one.
      const gapLeft = this.lastTickEnd + this.minGapMs - Date.now();
      if (idle && this.kicked && this.running && gapLeft > 0) await this.pause(gapLeft, false);
      this.kicked = false;
    }
  }

  /** Waits `ms`; stop() always ends the wait, a kick only when `kickable`. */
  private async pause(ms: number, kickable: boolean) {
    this.kickWakes = kickable;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.kickWakes = false;
  }
}
