import type { VirtualClock } from '../clocks/virtual-clock.js';
import type { Engine } from './engine.js';

/**
 * What `runUntil` drives: the durable engine, or the in-process driver of the simulator (which keeps
 * one run's timers and so takes no campaign filter), so tests move either on the same clock.
 */
export type TimerDriver = Pick<Engine, 'nextTimerAt' | 'runDueTimers'>;

/**
 * Moves a virtual clock to `until`, stopping at every due timer on the way and firing it at its own
 * time, as a real clock would have. Returns how many timers fired. With `campaignId`, only that
 * campaign's timers (its rehearsal clock being moved: `luoshi clock`).
 */
export async function runUntil(engine: TimerDriver, clock: VirtualClock, until: number, campaignId?: string): Promise<number> {
  let fired = 0;
  for (;;) {
    const next = await engine.nextTimerAt(campaignId);
    if (next === undefined || next > until) break;
    clock.advanceTo(Math.max(next, clock.now()));
    fired += await engine.runDueTimers(campaignId);
  }
  if (until > clock.now()) clock.advanceTo(until);
  return fired;
}
