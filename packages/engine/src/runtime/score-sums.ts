import type { DeductionPlan } from '../compiler/campaign-plan.js';
import { cycleId } from './cycles.js';
import type { InstanceContext } from './instance-context.js';
import { ownValue, setOwn } from './own-keys.js';
import { subjectSlot, withKey } from './record-keys.js';
import type { StepRecords } from './step-records.js';

/**
 * The scores (评价得分) an instance keeps for one evaluation: a sum and a count per subject slot
 * (see `subjectSlot`) in one flat array of numbers `[sum₀, n₀, sum₁, n₁, …]`, which copies as one block.
 */
export type ScoreSums = readonly number[];

/** A copy of `sums` with one more score for the subject, long enough for its slot. */
export function addScore(sums: ScoreSums | undefined, member: string | undefined, score: number): number[] {
  const slot = subjectSlot(member);
  const next = sums === undefined ? [] : sums.slice();
  while (next.length < 2 * slot + 2) next.push(0);
  next[2 * slot] = (next[2 * slot] as number) + score;
  next[2 * slot + 1] = (next[2 * slot + 1] as number) + 1;
  return next;
}

/** The sum of the scores of the subject in `slot` (see `subjectSlot`), without a pair made per read. */
export function sumAt(sums: ScoreSums | undefined, slot: number): number {
  return sums?.[2 * slot] ?? 0;
}

/** How many scores the subject in `slot` has. */
export function countAt(sums: ScoreSums | undefined, slot: number): number {
  return sums?.[2 * slot + 1] ?? 0;
}

/**
/**
 * A subject's score per evaluation: its mean less the points deducted (扣分), for the evaluations it
 * has been scored in or had points deducted from (no score yet counts 0, as in a ranking). With
 * `cycle` (周期: a later cycle the instance is in), only that cycle's, by the evaluation's own id: a
 * condition `scores.考核 < 60` reads this cycle's 考核 (`考核.2025`).
 */
export function meanScores(
  scores: Readonly<Record<string, ScoreSums>>,
  member: string | undefined,
  deducted?: InstanceContext['deducted'],
  cycle?: string,
): Record<string, number> {
  const slot = subjectSlot(member);
  const means: Record<string, number> = {};
  const suffix = cycle === undefined ? undefined : `.${cycle}`;
  const named = (evaluation: string): string | undefined =>
    suffix === undefined ? evaluation : evaluation.endsWith(suffix) ? evaluation.slice(0, -suffix.length) : undefined;
  for (const evaluation in scores) {
    const sums = ownValue(scores, evaluation);
    const n = countAt(sums, slot);
    const as = named(evaluation);
    if (n > 0 && as !== undefined) setOwn(means, as, sumAt(sums, slot) / n);
  }
  if (deducted !== undefined)
    for (const evaluation in deducted) {
      const points = deductedAt(deducted, evaluation, slot);
      const as = named(evaluation);
      if (points !== 0 && as !== undefined) setOwn(means, as, (ownValue(means, as) ?? 0) - points);
    }
  return means;
}

/** The points deducted from a subject's score in an evaluation (0: none). */
export function deductedAt(deducted: InstanceContext['deducted'], evaluation: string, slot: number): number {
  return (deducted === undefined ? undefined : ownValue(deducted, evaluation)?.[slot]) ?? 0;
}

/** 扣分 — points off a subject's score in an evaluation ("扣年度考核1分"), kept beside its scores. */
export function deductPoints(records: StepRecords, deduct: DeductionPlan, member: string | undefined): void {
  const slot = subjectSlot(member);
  const deducted = records.context.deducted ?? {};
  // 周期: points come off the evaluation of the cycle the unit is in (年度考核.2025), which its ranking reads.
  const cycle = records.context.cycle;
  const inCycle = cycle === undefined ? undefined : cycleId(deduct.evaluation, cycle);
  const evaluation = inCycle !== undefined && records.plan.items.has(inCycle) ? inCycle : deduct.evaluation;
  const next = (ownValue(deducted, evaluation) ?? []).slice();
  while (next.length <= slot) next.push(0);
  next[slot] = (next[slot] as number) + deduct.points;
  records.patch({ deducted: withKey(deducted, evaluation, next) });
}
