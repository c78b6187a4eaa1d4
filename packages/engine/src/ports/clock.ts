/**
 * Where the engine reads the time. Nothing else: deadlines and recurrences are timers stored in
 * the `Store` and fired by the engine when `now()` has passed them, never `setTimeout`.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. Must never go backwards within one engine's life. */
  now(): number;
}
