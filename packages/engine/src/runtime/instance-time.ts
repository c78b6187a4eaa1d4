import type { CampaignCalendar } from '../calendar/campaign-calendar.js';
import { EngineError } from '../errors/engine-error.js';

/** The greatest time a JavaScript `Date` can hold, in ms either side of the epoch. */
const DATE_LIMIT = 8.64e15;

/** Whether `ms` is an instant a `Date` can hold: finite and within ±8.64e15 ms. NaN and ±Infinity are not. */
export function isInstant(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= DATE_LIMIT;
}

/** The part of a campaign's calendar a message needs: its zone's name and an instant's time there. */
export type MessageZone = Pick<CampaignCalendar, 'zone' | 'dateTime'>;

/**
 * A time for a message (消息中的时间): ISO 8601 with the offset of the campaign's zone when one is
 * given (a reader sees the wall time of the campaign, and the text still parses to the same instant),
 * else in UTC (`…Z`, said outright); the number as it is when no instant ("NaN"). An instant whose
 * offset there is not whole minutes (local mean time before zones were standard) or that the zone
 * pushes past a `Date`'s range is given in UTC too: an ISO offset cannot carry seconds.
 */
export function timeText(ms: number, zone?: MessageZone): string {
  if (!isInstant(ms)) return String(ms);
  if (zone !== undefined) {
    const local = zone.dateTime(ms);
    const text = local.isValid && Number.isInteger(local.offset) ? local.toISO({ suppressMilliseconds: true }) : null;
    if (text !== null) return text;
  }
  return new Date(ms).toISOString();
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
export function eventTime(instanceId: string, instanceTime: number, now: number, fromHost: boolean, zone: MessageZone): number {
  checkedInstant(now);
  if (now >= instanceTime) return now;
  if (!fromHost) return instanceTime;
  throw timeBackwards(instanceId, instanceTime, now, zone);
}

/** ENGINE_TIME_BACKWARDS, both times in the campaign's zone (named in the message), as the simulator gives its times. */
export function timeBackwards(instanceId: string, instanceTime: number, at: number, zone: MessageZone): EngineError {
  return new EngineError('ENGINE_TIME_BACKWARDS', { id: instanceId, last: timeText(instanceTime, zone), at: timeText(at, zone), zone: zone.zone });
}
