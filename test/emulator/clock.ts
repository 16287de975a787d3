import type { EmulatorClock } from './index';

/** Wall clock plus an offset tests can move forward. */
export class Clock implements EmulatorClock {
  private offset = 0;

  now(): number {
    return Date.now() + this.offset;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error('the clock only moves forward');
    this.offset += ms;
  }
}
