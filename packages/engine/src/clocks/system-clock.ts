import type { Clock } from '../ports/clock.js';

/** The wall clock, never going backwards even if the system time is set back. */
export class SystemClock implements Clock {
  #last = 0;

  now(): number {
    this.#last = Math.max(this.#last, Date.now());
    return this.#last;
  }
}
