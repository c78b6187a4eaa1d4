import type { CampaignPlan, CardMonth } from '../compiler/campaign-plan.js';
import type { TimerRecord } from '../ports/store.js';
import type { InstanceContext, TrackedItemRecord } from './instance-context.js';
import { ownValue } from './own-keys.js';
import type { StepRecords } from './step-records.js';
import { formatTimerKey } from './timer-keys.js';
import { assessAgainstShare } from './tracked-items.js';

/*
 * 按月亮牌 — cards given every month whether or not the unit reported (D6: "市投资项目建设领导小组办公室
 * 和各区政府每月亮牌", from the cumulative investment since 1 January). An item kind with `every: 每月`
 * is carded once a month: a progress report in the month is its card, as it always was; an item that
 * had no report in the month just ended is judged at the month's turn on its cumulative progress as it
 * stands (nothing reported yet this campaign year counts as none) against the pro-rata share at the
 * month's end — the share's thresholds, or met/missed with `redAfterMisses` — and the card counts and
 * raises `item-yellow` / `item-red` exactly as a report's does. Otherwise an area that stops reporting
 * would stay green, and "missed two months running" would never come to a unit that says nothing.
 *
 * An item opened during a month (or at its first instant: listed at the start) is first judged at the
 * end of the next: a month's card is owed for a month it was open all through. Only open items with a
 * target are carded (a resolved project waits for its check). A unit of a later cohort (批次) is
 * likewise carded from its start, not for the months it was 未启动 (`unitBegins`).
 *
 * The cards of a turn are given at the instance's first step at or after it — its `month-cards` timer,
 * due then, or any event after it — before that step's own rule, as flags lapse (`lapseFlags`): a report
 * at the turn's very instant belongs to the month it begins, whichever of the two runs first, and a
 * timer that fires late, or an instance restored after the turn, still gives each month's cards once
 * and in order (`cardedTo` is the last turn given). Only instances started with `monthCards`.
 */

/** The index of the first month whose turn comes after `since`; `months.length` when none does. */
function firstTurnAfter(months: readonly CardMonth[], since: number): number {
  let lo = 0;
  let hi = months.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((months[mid] as CardMonth).end > since) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Whether an item is carded at the turn of `month`: open, with a target, of a monthly kind, open all through the month and not reported in it. */
function owed(plan: CampaignPlan, item: TrackedItemRecord, month: CardMonth): item is TrackedItemRecord & { readonly t: number } {
  if (item.s !== 'open' || item.t === undefined || item.at >= month.start) return false;
  if (plan.trackedKinds?.get(item.k)?.monthly !== true) return false;
  return item.pa === undefined || item.pa < month.start;
}

/**
 * 批次 — when the unit's work began: its cohort's start when that is later than the instance's (the
 * unit 未启动 until then, its listed items waiting with it), else the instance's start. A month begun
 * before it, or at its very instant, is owed no card, as an item owes none for a month begun before it
 * opened: a unit of a later cohort is not carded red for the months it could not work.
 */
function unitBegins(plan: CampaignPlan, context: InstanceContext): number {
  const cohort = context.cohort === undefined ? undefined : plan.cohorts.get(context.cohort);
  return cohort !== undefined && cohort.start > context.startedAt ? cohort.start : context.startedAt;
}

/**
 * 月末亮牌 — the cards of every month whose turn has come by the step's time and was not yet given, in
 * order, each item judged as it stands after the month before's card. Called at the start of every step.
 */
export function giveMonthCards(records: StepRecords): void {
  const months = records.plan.cardMonths;
  if (records.context.monthCards !== true || months === undefined) return;
  const since = records.context.cardedTo ?? records.context.startedAt;
  let index = firstTurnAfter(months, since);
  let last: number | undefined;
  const begins = unitBegins(records.plan, records.context);
  for (; index < months.length && (months[index] as CardMonth).end <= records.at; index++) {
    const month = months[index] as CardMonth;
    // The ids first: each card writes a new copy of the items.
    for (const id of Object.keys(records.context.tracked ?? {})) {
      const item = ownValue(records.context.tracked, id);
      if (item === undefined || month.start <= begins || !owed(records.plan, item, month)) continue;
      // Cumulative from the campaign year's start: a figure reported in an earlier year is not this year's.
      const done = item.pa !== undefined && item.pa >= month.period ? (item.p ?? 0) : 0;
      assessAgainstShare(records, id, item, records.plan.trackedKinds?.get(item.k), item.t, done, month.share);
    }
    last = month.end;
  }
  if (last !== undefined) records.patch({ cardedTo: last });
}

/**
 * The instance's `month-cards` timer: at the next month's turn, while it holds an open item with a
 * target of a monthly kind (an instance with none needs no step; its turns are passed at its next one).
 */
export function monthCardsTimer(plan: CampaignPlan, instanceId: string, context: InstanceContext): TimerRecord | undefined {
  const months = plan.cardMonths;
  if (context.monthCards !== true || months === undefined || context.tracked === undefined) return undefined;
  let carded = false;
  for (const item of Object.values(context.tracked))
    if (item.s === 'open' && item.t !== undefined && plan.trackedKinds?.get(item.k)?.monthly === true) {
      carded = true;
      break;
    }
  if (!carded) return undefined;
  const next = months[firstTurnAfter(months, context.cardedTo ?? context.startedAt)];
  return next === undefined ? undefined : { instanceId, key: formatTimerKey({ kind: 'month-cards' }), dueAt: next.end };
}
