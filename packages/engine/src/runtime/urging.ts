import type { TaskRecord } from './instance-context.js';
import { memberIdOf, parseTaskKey, publicTaskKey } from './record-keys.js';
import { effectDraft, type StepRecords } from './step-records.js';
import { taskAt } from './task-table.js';
import { taskRecord } from './task-record.js';

/*
 * 催办 — urging: repeated notices on a task near its due day or overdue, each an effect for the
 * host (its id stable as every effect's: instance, revision, index). The first comes when the task
 * turns yellow or goes overdue (`urge.from`), the next on the `every`-th working day (or day) after
 * the last, at the start of that day, while the task is not done, `times` at most. The next one's
 * time is kept on the task (`ua`), so its `urge` timer is derived from the record like any other.
 */

/** When the notice after one sent at `at` is due: at the start of the day `every` after it. */
export function nextUrgeAt(records: StepRecords, at: number): number {
  const { calendar } = records.plan;
  const every = records.plan.lights?.urge?.every;
  if (every === undefined) return at;
  // addDuration gives the end of the last day counted; the notice goes at that day's start.
  return calendar.dateTime(calendar.addDuration(at, every) - 1).startOf('day').toMillis();
}

/**
 * Begins urging a task now (it has just turned yellow or gone overdue): the first notice sent, and
 * the count and next time to write on the task. A task already urged as often as allowed gets none.
 */
export function urgingFrom(records: StepRecords, key: string, task: TaskRecord): Pick<TaskRecord, 'u' | 'ua'> {
  const urge = records.plan.lights?.urge;
  const sent = task.u ?? 0;
  if (urge === undefined || sent >= urge.times) return { u: task.u, ua: undefined };
  sendNotice(records, key, sent + 1);
  return { u: sent + 1, ua: sent + 1 < urge.times ? nextUrgeAt(records, records.at) : undefined };
}

/** A task's `urge` timer: the next notice, while the task is open or overdue. */
export function taskUrged(records: StepRecords, key: string): void {
  const task = taskAt(records.context.tasks, key);
  if (task === undefined || task.ua === undefined || (task.s !== 'open' && task.s !== 'overdue')) return;
  const urged = urgingFrom(records, key, task);
  records.setTask(key, taskRecord(task.s, task.due, task.rem, task.at, task.by, { l: task.l, ny: task.ny, ...urged, xr: task.xr, xw: task.xw, xn: task.xn }));
}

/** One urging notice: the campaign's urging action, else a `remind` effect titled 催办. */
function sendNotice(records: StepRecords, key: string, n: number): void {
  const { plan } = records;
  const { members } = records.context;
  const { item: id, member } = parseTaskKey(key);
  const title = plan.items.get(id)?.title ?? id;
  const actionId = plan.lights?.urge?.action;
  const action = actionId === undefined ? undefined : plan.actions.get(actionId);
  const cause = `urge:${publicTaskKey(members, key)}:${n}`;
  records.emit(effectDraft(action?.effect ?? 'remind', `${action?.title ?? '催办'}：${title}`, cause, actionId, memberIdOf(members, member), action?.by));
}
