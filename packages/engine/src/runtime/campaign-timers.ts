import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { TimerRecord } from '../ports/store.js';
import { formatTimerKey } from './timer-keys.js';

/*
 * 活动定时器 — the dated timers a campaign owns as a whole (its id is their instance id): a ranking's
 * (评比排名) and a dated grading's (等次评定). Each is set for its first date when the campaign starts;
 * each later date is set when the one before it has fired, and only while an instance of the campaign
 * still runs, so a standing mechanism (长效机制) holds one timer ahead per ranking or grading, not one
 * per year. The durable engine (campaign start, due timers) and the in-process driver set them alike.
 */

/** The kinds of dated campaign timer: a ranking's and a dated grading's. */
export type DatedTimerKind = 'ranking' | 'grading';

/** What a dated campaign timer is set from: the ranking's or grading's id and its dates, in order. */
interface Dated {
  readonly id: string;
  readonly dates: readonly number[];
}

/**
 * The campaign timers at a campaign's start: the first date of each ranking, then of each dated
 * grading, keyed as release 7967bde keyed a ranking's (`ranking:<id>`, `grading:<id>`).
 */
export function campaignTimersAtStart(plan: CampaignPlan, campaignId: string): TimerRecord[] {
  return [...firstTimers('ranking', plan.rankings, campaignId), ...firstTimers('grading', plan.gradings, campaignId)];
}

/**
 * The timer of a ranking's or grading's next date after occurrence `occurrence` has fired, or
 * undefined when it has no later date or no instance of the campaign still runs (`running`: a
 * mechanism closed by a decision sets none).
 */
export function nextCampaignTimer(kind: DatedTimerKind, dated: Dated, campaignId: string, occurrence: number, running: boolean): TimerRecord | undefined {
  const dueAt = dated.dates[occurrence + 1];
  return running && dueAt !== undefined ? datedTimer(kind, dated, campaignId, occurrence + 1, dueAt) : undefined;
}

function firstTimers(kind: DatedTimerKind, dated: readonly Dated[], campaignId: string): TimerRecord[] {
  return dated.flatMap((d) => (d.dates[0] === undefined ? [] : [datedTimer(kind, d, campaignId, 0, d.dates[0])]));
}

function datedTimer(kind: DatedTimerKind, dated: Dated, campaignId: string, occurrence: number, dueAt: number): TimerRecord {
  const key = kind === 'ranking' ? formatTimerKey({ kind, ranking: dated.id, occurrence }) : formatTimerKey({ kind, grading: dated.id, occurrence });
  return { instanceId: campaignId, key, dueAt };
}
