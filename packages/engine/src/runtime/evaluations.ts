import { ownValue } from './own-keys.js';
import { withKey } from './record-keys.js';
import { addScore } from './score-sums.js';
import type { StepRecords } from './step-records.js';
import { completeTask } from './tasks.js';
import { taskFor } from './task-table.js';

/*
 * 评价与得分 — evaluations (五评: 自评, 互评, 群众测评 …): each score given to a subject is added to its
 * sums for that evaluation (score-sums.ts; conditions and rankings read the mean), the subject's
 * evaluation task, if open, is done, and the `score-given` event is raised.
 */

/** A score given to the unit or a member in an evaluation. */
export function giveScore(records: StepRecords, evaluation: string, score: number, member: string | undefined): void {
  const { scores } = records.context;
  records.patch({ scores: withKey(scores, evaluation, addScore(ownValue(scores, evaluation), member, score)) });
  const task = taskFor(records.context.tasks, evaluation, member);
  if (task && (task.s === 'open' || task.s === 'overdue')) completeTask(records, evaluation, member);
  records.raise('score-given', member);
}
