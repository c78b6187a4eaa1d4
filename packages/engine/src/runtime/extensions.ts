import { DSL_LIMITS } from '@luoshi/dsl';
import type { CampaignPlan, ExtensionsPlan } from '../compiler/campaign-plan.js';
import { EngineError } from '../errors/engine-error.js';
import type { InstanceContext, TaskRecord } from './instance-context.js';
import { keptLight, lightOnOpen } from './lights.js';
import { memberIdOf, parseTaskKey, publicTaskKey } from './record-keys.js';
import type { StepRecords } from './step-records.js';
import { forEachTask, taskAt } from './task-table.js';
import { taskRecord } from './task-record.js';
import type { ExtensionRequestView } from './views.js';

/*
 * 申请延期 — extension requests. A unit asks, before a task's due day, for a later one with a reason
 * (`extension.requested`); the campaign's `extensions.decidedBy` approves or refuses it
 * (`extension.decided`). The request waits on the task record (`xr`, the due time asked for, and
 * `xw`, the reason); approval writes the new due time and counts it (`xn`, shown as 已延期), and
 * the task's timers — due, reminder, yellow, urging — are derived from the record as always, so
 * they follow. A refusal only drops the request. The checks (`extensionProblem`) run before
 * anything is written, so a refused event changes nothing.
 */

/** What an extension event asks of a task, as validation reads it. */
export type ExtensionAsk = { readonly type: 'extension.requested'; readonly until: number; readonly untilDay: string } | { readonly type: 'extension.decided' };

/**
 * Refuses an extension event the task's record does not allow: a request on a task not open
 * (done, waiting: ENGINE_TASK_NOT_OPEN via `notOpen`) or already overdue (ENGINE_EXTENSION_OVERDUE),
 * for a day not after the current due (ENGINE_EXTENSION_NOT_LATER) or beyond `maxDelay`
 * (ENGINE_EXTENSION_TOO_LONG), while one is pending (ENGINE_EXTENSION_PENDING) or once `maxTimes`
 * have been approved (ENGINE_EXTENSION_LIMIT); a decision with none pending (ENGINE_NO_EXTENSION_PENDING).
 */
export function checkExtension(
  plan: CampaignPlan,
  rule: ExtensionsPlan,
  context: InstanceContext,
  id: string,
  task: TaskRecord | undefined,
  ask: ExtensionAsk,
  notOpen: (status: TaskRecord['s'] | 'missing') => EngineError,
): void {
  const unit = context.unit;
  if (ask.type === 'extension.decided') {
    // A request still pending when the task was done is moot: nothing is left to decide.
    if (task?.xr === undefined || (task.s !== 'open' && task.s !== 'overdue')) throw new EngineError('ENGINE_NO_EXTENSION_PENDING', { id, unit });
    return;
  }
  if (task?.s === 'overdue') throw new EngineError('ENGINE_EXTENSION_OVERDUE', { id, unit });
  if (task?.s !== 'open' || task.due === undefined) throw notOpen(task?.s ?? 'missing');
  if (task.xr !== undefined) throw new EngineError('ENGINE_EXTENSION_PENDING', { id, unit });
  const times = task.xn ?? 0;
  if (times >= rule.maxTimes) throw new EngineError('ENGINE_EXTENSION_LIMIT', { id, unit, times });
  const due = dayOf(plan, task.due);
  if (ask.until <= task.due) throw new EngineError('ENGINE_EXTENSION_NOT_LATER', { id, unit, due, until: ask.untilDay });
  // Counted from inside the due day (its last instant), as a deadline counted from a task: "5个工作日"
  // after a task due Friday 10 May 2024 reaches the end of Friday 17 May.
  if (rule.maxDelay !== undefined && ask.until > plan.calendar.addDuration(task.due - 1, rule.maxDelay.spec))
    throw new EngineError('ENGINE_EXTENSION_TOO_LONG', { id, unit, due, until: ask.untilDay, maxDelay: rule.maxDelay.text });
}

/**
 * The reason of a request: a text of 1 to `DSL_LIMITS.extensionReason` characters, line breaks and
 * tabs its only control characters (it is stored on the task while pending, and a NUL no store keeps).
 */
export function reasonOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > DSL_LIMITS.extensionReason) return undefined;
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value) ? undefined : value;
}

/** 申请延期 — the request waits on the task for the office's decision. */
export function extensionRequested(records: StepRecords, key: string, until: number, reason: string): void {
  const task = taskAt(records.context.tasks, key);
  if (task?.s !== 'open') return;
  records.setTask(key, taskRecord(task.s, task.due, task.rem, task.at, task.by, { ...task, xr: until, xw: reason }));
}

/**
 * 延期审批 — approved: the task is due when the request asked, counted as extended once more, its
 * reminder counted again from the new due (when still ahead) and, in a campaign with lights, green
 * again unless the new due is near too; an overdue task (its request came in time) is open again.
 * Refused: the request is dropped and the task stays as it was.
 */
export function extensionDecided(records: StepRecords, key: string, approved: boolean): void {
  const task = taskAt(records.context.tasks, key);
  if (task?.xr === undefined || (task.s !== 'open' && task.s !== 'overdue')) return;
  if (!approved) {
    const { xr: _until, xw: _reason, ...rest } = task;
    records.setTask(key, taskRecord(task.s, task.due, task.rem, task.at, task.by, rest));
    return;
  }
  const due = task.xr;
  const item = records.plan.items.get(parseTaskKey(key).item);
  const remind = item?.remindBefore ? records.plan.calendar.subtractDuration(due, item.remindBefore) : undefined;
  const kept = keptLight(task, 'reopened');
  records.setTask(key, taskRecord('open', due, remind !== undefined && remind > records.at ? remind : undefined, undefined, undefined, { ...kept, xr: undefined, xw: undefined, xn: (task.xn ?? 0) + 1 }));
  if (records.plan.lights) lightOnOpen(records, key, task);
}

/** 待审批延期申请 — an instance's pending requests, for the office's inbox, earliest due first. */
export function pendingExtensions(plan: CampaignPlan, instanceId: string, context: InstanceContext): ExtensionRequestView[] {
  const out: ExtensionRequestView[] = [];
  forEachTask(context.tasks, (key, task) => {
    if (task.xr === undefined || (task.s !== 'open' && task.s !== 'overdue')) return;
    const named = parseTaskKey(key);
    const item = plan.items.get(named.item);
    const member = memberIdOf(context.members, named.member);
    out.push({
      instanceId,
      unitId: context.unit,
      key: publicTaskKey(context.members, key),
      task: named.item,
      title: item?.title ?? named.item,
      ...(member !== undefined ? { member } : {}),
      ...(task.due !== undefined ? { dueAt: task.due } : {}),
      untilAt: task.xr,
      reason: task.xw ?? '',
      extended: task.xn ?? 0,
    });
  });
  return out.sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function dayOf(plan: CampaignPlan, due: number): string {
  // A due time is the end of its day: the day is the one the last instant before it falls in.
  return plan.calendar.dateTime(due - 1).toISODate() ?? String(due);
}
