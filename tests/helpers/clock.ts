import type { Clock } from '../../bot/clock.js';

/** A clock the test moves; everything time-based in the bot and the fake Lark reads it. */
export class TestClock implements Clock {
  private t: number;
  constructor(start: string | Date = '2026-11-02T02:00:00Z') {
    this.t = new Date(start).getTime();
  }
  now = () => new Date(this.t);
  ms = () => this.t;
  set(to: string | Date) {
    this.t = new Date(to).getTime();
  }
  advance(ms: number) {
    this.t += ms;
  }
}
