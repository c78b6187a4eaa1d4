import type { EventKind } from '@luoshi/dsl';
import { periodLabel } from './campaign-periods.js';
import { conditionHolds } from './conditions.js';
import type { LadderCounter } from './instance-context.js';
import { ownValue } from './own-keys.js';
import { subjectSlot, withKey, withSlot } from './record-keys.js';
import type { EventFacts, StepRecords } from './step-records.js';

/*
 * 递进处理 — escalation ladders (举报投诉 "一次查实诫勉谈话、两次查实通报批评、三次查实交流换岗"): a
 * counter per ladder, subject (the unit or a member) and period (the campaign year, 活动年度, from
 * the campaign start to its anniversary, see campaign-periods.ts; or the whole campaign); the Nth occurrence applies the Nth rung's outcome. A ladder counts the domain event it
 * listens to (`on`), or an outcome that names it (`ladder:` of a consequence, a rung, a finding).
 */

/** The ladders listening to a domain event count it for their subject, when their condition holds. */
export function hearLadders(records: StepRecords, kind: EventKind, member: string | undefined, extra: EventFacts): void {
  for (const ladder of records.plan.ladders.values()) {
    if (ladder.on?.event !== kind) continue;
    if (ladder.subject === 'member' && member === undefined) continue;
    const subject = ladder.subject === 'member' ? member : undefined;
    if (!conditionHolds(records, ladder.on.when, subject, undefined, extra)) continue;
    records.count(ladder.id, subject);
  }
}

/**
 * One more occurrence on a ladder for a subject: counted in the current period (a count from an
 * earlier period starts again at 1), then the rung of that level applied.
 */
export function countLadder(records: StepRecords, ladderId: string, member: string | undefined): void {
  const { plan, context } = records;
  const ladder = plan.ladders.get(ladderId);
  if (!ladder) return;
  const period = ladder.period === 'year' ? periodLabel(plan, records.at) : 'campaign';
  const counters = ownValue(context.ladders, ladderId);
  const previous = counters?.[subjectSlot(member)];
  const n = (previous && previous.p === period ? previous.n : 0) + 1;
  records.patch({ ladders: withKey(context.ladders, ladderId, withSlot<LadderCounter>(counters, member, { n, p: period })) });
  // Beyond the last rung the last rung applies again: the directive names no harsher step.
  const rung = ladder.rungs.find((r) => r.level === n) ?? (n > (ladder.rungs.at(-1)?.level ?? 0) ? ladder.rungs.at(-1) : undefined);
  if (rung) records.outcome({ actions: rung.actions ?? [], flags: rung.flags ?? [] }, member, `ladder:${ladderId}:${n}`);
}
