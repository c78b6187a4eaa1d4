import { EngineError } from '../errors/engine-error.js';

/** The greatest time a JavaScript `Date` can hold, in ms either side of the epoch. */
const DATE_LIMIT = 8.64e15;

/** Whether `ms` is an instant a `Date` can hold: finite and within ±8.64e15 ms. NaN and ±Infinity are not. */
export function isInstant(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= DATE_LIMIT;
}

/** A time for a message: ISO 8601 in UTC when it is an instant, else the number as it is ("NaN"). */
export function timeText(ms: number): string {
  return isInstant(ms) ? new Date(ms).toISOString() : String(ms);
}

/** Refuses a clock reading that is no instant (NaN, ±Infinity, beyond a `Date`): ENGINE_INVALID_TIME. */
export function checkedInstant(ms: number): number {
  if (!isInstant(ms)) throw new EngineError('ENGINE_INVALID_TIME', { at: timeText(ms) });
  return ms;
}

/**
 * The time an event is applied at (时间不倒流, time never runs backwards): an instance's history is
 * in time order, so an event is never dated before the instance's time (its latest entry's `at`).
 * A host's event dated before it is refused with ENGINE_TIME_BACKWARDS, nothing written; at the same
 * time it is applied (several events of one moment). The engine's own events (a timer, a ranking) are
 * due whatever the clock says: one read from a clock set back (another engine process's, a restarted
 * host's) is applied at the instance's time instead, so history still never runs backwards.
 */
export function eventTime(instanceId: string, instanceTime: number, now: number, fromHost: boolean): number {
  checkedInstant(now);
  if (now >= instanceTime) return now;
  if (!fromHost) return instanceTime;
  throw timeBackwards(instanceId, instanceTime, now);
}

export function timeBackwards(instanceId: string, instanceTime: number, at: number): EngineError {
  return new EngineError('ENGINE_TIME_BACKWARDS', { id: instanceId, last: timeText(instanceTime), at: timeText(at) });
}
