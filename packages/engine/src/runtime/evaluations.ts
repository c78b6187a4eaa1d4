import { ownValue } from './own-keys.js';
import { withKey } from './record-keys.js';
import { gradeOnScore } from './grading.js';
import { addScore } from './score-sums.js';
import type { StepRecords } from './step-records.js';
import { completeTask } from './tasks.js';

/*
 * 评价与得分 — evaluations (五评: 自评, 互评, 群众测评 …): each score given to a subject is added to its
 * sums for that evaluation (score-sums.ts; conditions and rankings read the mean), the subject's
 * evaluation task, if open, is done, and the `score-given` event is raised. An evaluation with
 * `every:` (每季度评比检查) opens one task per occurrence (recurrences.ts): each is scored, and the
 * mean is over the scores given, so an occurrence never scored is not in it (it stays overdue,
 * where consequences and ladders can act on it) rather than counted as 0.
 */

/** A score given to the unit or a member in an evaluation. */
export function giveScore(records: StepRecords, evaluation: string, score: number, member: string | undefined): void {
  const { scores } = records.context;
  records.patch({ scores: withKey(scores, evaluation, addScore(ownValue(scores, evaluation), member, score)) });
  // The subject's evaluation task, if open, is done: for one with `every:`, the current occurrence
  // (a score given now is for this period; an older one never scored stays overdue), so each
  // occurrence is scored once and the mean is over the occurrences scored.
  completeTask(records, evaluation, member);
  records.raise('score-given', member);
  // After the rules that hear the score: a veto flag they set caps the grade this score gives.
  gradeOnScore(records, evaluation, member, score);
}
