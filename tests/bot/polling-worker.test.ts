import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { PollingWorker } from '../../bot/polling-worker.js';

/** Counts its ticks; each tick takes `tickMs` and finds nothing. */
class Counting extends PollingWorker {
  ticks = 0;
  constructor(minGapMs: number, private readonly tickMs = 5) {
    super('counting', 60_000, pino({ level: 'silent' }), 10_000, () => false, minGapMs);
  }
  override async tick() {
    this.ticks++;
    await new Promise((r) => setTimeout(r, this.tickMs));
    return 0;
  }
}

/** Kicks the worker every `everyMs` for `ms`, then stops it. */
async function kickFor(w: Counting, ms: number, everyMs = 2) {
  w.start();
  const timer = setInterval(() => w.kick(), everyMs);
  await new Promise((r) => setTimeout(r, ms));
  clearInterval(timer);
  await w.stop();
}

describe('a polling worker kicked after every commit', () => {
  it('with a least gap, works once per gap however often it is kicked', async () => {
    const w = new Counting(100);
    await kickFor(w, 450);
    // The first tick, then one per 100 ms gap (plus the ticks' own 5 ms).
    expect(w.ticks).toBeGreaterThanOrEqual(2);
    expect(w.ticks).toBeLessThanOrEqual(6);
  });

  it('keeps the gap when the kicks come further apart than a tick takes', async () => {
    // Each kick then finds the worker idle, not in a tick: the gap must hold from the last tick's end.
    const w = new Counting(100, 1);
    await kickFor(w, 450, 15);
    expect(w.ticks).toBeGreaterThanOrEqual(2);
    expect(w.ticks).toBeLessThanOrEqual(6);
  });

  it('without one, answers the kicks as they come', async () => {
    const w = new Counting(0);
    await kickFor(w, 450);
    expect(w.ticks).toBeGreaterThan(10);
  });

  it('an idle worker past its gap still wakes at once for the first kick', async () => {
    const w = new Counting(100);
    w.start();
    await new Promise((r) => setTimeout(r, 150));
    expect(w.ticks).toBe(1);
    w.kick();
    await new Promise((r) => setTimeout(r, 20));
    expect(w.ticks).toBe(2);
    await w.stop();
  });
});
