import type { Logger } from './logger.js';

/**
 * A worker that runs `tick` again and again: straight away while it finds work, otherwise after
 * `pollMs` or as soon as someone calls kick(). The inbox and outbox workers both poll the database
 * this way, so a missed wake-up only costs one poll interval and work left by another process is
 * still found.
 */
export abstract class PollingWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;

  constructor(
    private readonly name: string,
    private readonly pollMs: number,
    private readonly log: Logger,
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
    this.wake?.();
  }

  private async run() {
    while (this.running) {
      let found = 0;
      try {
        found = await this.tick();
      } catch (err) {
        this.log.error({ err }, `${this.name} tick failed`);
      }
      if (!this.running) break;
      if (found === 0 && !this.kicked) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      this.kicked = false;
    }
  }
}
