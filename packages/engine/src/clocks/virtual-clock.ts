import type { Clock } from '../ports/clock.js';

/**
 * A clock that moves only when told: tests and the simulator jump it from one due timer to the
 * next. It refuses to go backwards, as the `Clock` contract requires.
 */
export class VirtualClock implements Clock {
  #now: number;

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves to `time`; a time before now, or no time at all (NaN), is an error, not a silent no-op. */
  advanceTo(time: number): void {
    if (!(time >= this.#now)) throw new RangeError(`VirtualClock cannot go back from ${this.#now} to ${time}`);
    this.#now = time;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.#now + ms);
  }
}
