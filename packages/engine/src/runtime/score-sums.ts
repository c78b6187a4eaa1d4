import { ownValue, setOwn } from './own-keys.js';
import { subjectSlot } from './record-keys.js';

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
 * A subject's mean score per evaluation, for the evaluations it has been scored in. With `cycle`
 * (周期: a later cycle the instance is in), only that cycle's scores, by the evaluation's own id: a
 * condition `scores.考核 < 60` reads this cycle's 考核 (`考核.2025`).
 */
export function meanScores(scores: Readonly<Record<string, ScoreSums>>, member: string | undefined, cycle?: string): Record<string, number> {
  const slot = subjectSlot(member);
  const means: Record<string, number> = {};
  const suffix = cycle === undefined ? undefined : `.${cycle}`;
  for (const evaluation in scores) {
    const sums = ownValue(scores, evaluation);
    const n = countAt(sums, slot);
    if (n === 0) continue;
    if (suffix === undefined) setOwn(means, evaluation, sumAt(sums, slot) / n);
    else if (evaluation.endsWith(suffix)) setOwn(means, evaluation.slice(0, -suffix.length), sumAt(sums, slot) / n);
  }
  return means;
}
