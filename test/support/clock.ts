/** A clock tests move by hand. */
import type { Clock } from '../../src/lib/clock.ts';

export class TestClock implements Clock {
  private ms: number;
  constructor(start: string | Date = new Date()) {
    this.ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.ms += ms;
  }
}
