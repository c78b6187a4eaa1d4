import type { TimerRecord } from '../ports/store.js';
import type { InstanceContext } from './instance-context.js';
import type { StepRecords } from './step-records.js';
import { forEachTask } from './task-table.js';
import { formatTimerKey } from './timer-keys.js';

/*
 * 收尾 — the wrap-up of an instance whose phases are over while its work is not: a report on the
 * last phase due weeks after it ("整治结束后两周内报送工作总结"). Work due after its phase stays open
 * after the phase ends; for the last phase there is no later phase to hold the instance, so it
 * waits here, in the statechart's `ended` (its phases are over), not yet closed: its open tasks go
 * overdue at their due, and its open or overdue tasks may still be done, until the campaign ends or
 * nothing is left open or overdue, whichever comes first. Then the instance is closed (ended) and
 * refuses events, as every ended instance always did.
 *
 * Only the phases' own course leads here (a window's end, the phase's required work done): a
 * decision that ends the unit's campaign (`next: end`, closing a 长效机制) closes it at once, because
 * the decision says the work is over, and a standing mechanism's campaign end lies 50 years ahead.
 * An instance started before this rule (no `scoresPerOccurrence` in its start input: release
 * 7967bde) closes when its phases end, as it did; one already ended stays as it is (no `closesAt`).
 */

/**
 * Called as the instance's phases end (its statechart enters `ended`) at `records.at`: when one of
 * its tasks is still open with its deadline ahead, the instance waits (`closesAt`: the campaign end)
 * instead of closing. Nothing else is open in the wrap-up: no phase, so no recurrence ticks, no
 * finding or decision is accepted, and no new work opens.
 */
export function beginWrapUp(records: StepRecords, byDecision: boolean): void {
  const { context, plan, at } = records;
  if (byDecision || context.scoresPerOccurrence !== true || at >= plan.end) return;
  if (hasWork(context, at, false)) records.patch({ closesAt: plan.end });
}

/**
 * After every event of an instance in its wrap-up: it closes when the campaign has ended (its
 * `close` timer) or when none of its tasks is left open or overdue (the last one done).
 */
export function checkWrapUp(records: StepRecords): void {
  const { closesAt } = records.context;
  if (closesAt === undefined) return;
  if (records.at >= closesAt || !hasWork(records.context, records.at, true)) records.patch({ closesAt: undefined });
}

/** Whether an instance is closed (ended): its phases are over (`phasesOver`) and it waits for no work (see `beginWrapUp`). */
export function isClosed(phasesOver: boolean, context: InstanceContext): boolean {
  return phasesOver && context.closesAt === undefined;
}

/** The timers of an instance in its wrap-up besides its tasks': the campaign's end, when it closes. */
export function wrapUpTimers(instanceId: string, context: InstanceContext): TimerRecord[] {
  return context.closesAt === undefined ? [] : [{ instanceId, key: formatTimerKey({ kind: 'close' }), dueAt: context.closesAt }];
}

/** Whether a task is open with its deadline after `at` (or, with `overdue`, is overdue, or open at all). */
function hasWork(context: InstanceContext, at: number, overdue: boolean): boolean {
  let found = false;
  forEachTask(context.tasks, (_key, task) => {
    if (found) return;
    if (task.s === 'open' && (overdue || (task.due !== undefined && task.due > at))) found = true;
    else if (overdue && task.s === 'overdue') found = true;
  });
  return found;
}
