import type { EventKind } from '@luoshi/dsl';
import type { CampaignPlan, OutcomePlan } from '../compiler/campaign-plan.js';
import { periodOf } from './campaign-periods.js';
import { conditionHolds } from './conditions.js';
import type { InstanceContext } from './instance-context.js';
import { memberIdOf, subjectSlot, withSlot } from './record-keys.js';
import { deductPoints } from './score-sums.js';
import { effectDraft, type EventFacts, type StepRecords } from './step-records.js';

/*
 * 后果与标记 — consequences (抽查被通报 → 不能评先评优; 末位 → 质询): rules that listen to a domain
 * event (`on`) and apply an outcome to its subject, and the outcome itself, wherever it comes from
 * (a consequence, an overdue task, a finding, a ladder's rung, a ranking's band): flags set on the
 * subject's record that later conditions read (`flags.绩效不称职`), actions handed to the host as
 * effects, points off a score (扣分), and a ladder counted.
 */

/** The consequences listening to a domain event apply their outcome to its subject (the unit's, or the member's). */
export function hearConsequences(records: StepRecords, kind: EventKind, member: string | undefined, extra: EventFacts): void {
  for (const q of records.plan.consequences) {
    if (q.on.event !== kind) continue;
    if (q.subject === 'member' && member === undefined) continue;
    const subject = q.subject === 'unit' ? undefined : member;
    if (!conditionHolds(records, q.on.when, subject, undefined, extra)) continue;
    records.outcome(q.deduct ? { actions: q.actions, flags: q.flags, deduct: q.deduct } : { actions: q.actions, flags: q.flags }, subject, `consequence:${q.id}`);
  }
}

/** Applies an outcome to a subject when its condition holds: flags not yet set, an effect per action, its ladder counted. */
export function applyOutcome(records: StepRecords, outcome: OutcomePlan, member: string | undefined, cause: string, extra: EventFacts): void {
  if (!conditionHolds(records, outcome.when, member, undefined, extra)) return;
  const { plan } = records;
  if (outcome.flags.length > 0) {
    const { flags } = records.context;
    const current = flags[subjectSlot(member)] ?? [];
    const added = outcome.flags.filter((f) => !current.includes(f));
    if (added.length > 0) {
      records.patch({ flags: withSlot(flags, member, [...current, ...added]) });
      // A flag that lasts a year belongs to this campaign period (lapseFlags has already dropped the
      // earlier period's); a campaign of one period records nothing, nothing in it lapses.
      if (plan.periods.length > 1 && added.some((f) => lastsAYear(plan, f))) records.patch({ flagPeriod: periodOf(plan, records.at) });
    }
  }
  for (const id of outcome.actions) {
    const action = plan.actions.get(id);
    // Its `by` goes with it: the host routes the effect to the role that carries it out (执行者).
    records.emit(effectDraft(action?.effect ?? 'notify', action?.title ?? id, cause, id, memberIdOf(records.context.members, member), action?.by));
  }
  if (outcome.deduct) deductPoints(records, outcome.deduct, member);
  if (outcome.ladder) records.count(outcome.ladder, plan.ladders.get(outcome.ladder)?.subject === 'unit' ? undefined : member);
}

/** Whether a flag lapses with its campaign period (`lasts: year`, the default; an undeclared flag too). */
function lastsAYear(plan: CampaignPlan, flag: string): boolean {
  return plan.flags.get(flag)?.lasts !== 'campaign';
}

/**
 * 标记失效 — flags that last a year lapse when the campaign period they were set in ends: at the
 * first step of an instance in a later period (its `lapse` timer, due when that period starts, or
 * any event after it), before the step's own rule runs, so a flag set by that event stays.
 */
export function lapseFlags(records: StepRecords): void {
  const { plan, context } = records;
  const since = context.flagPeriod;
  if (since === undefined || periodOf(plan, records.at) <= since) return;
  const flags = context.flags.map((list) => {
    const kept = list?.filter((f) => !lastsAYear(plan, f));
    return kept && kept.length > 0 ? kept : null;
  });
  records.patch({ flags, flagPeriod: undefined });
}

/** When an instance's flags that last a year lapse (undefined: it has none, or they never do). */
export function flagLapseAt(plan: CampaignPlan, context: InstanceContext): number | undefined {
  const since = context.flagPeriod;
  return since === undefined ? undefined : plan.periods[since + 1];
}
