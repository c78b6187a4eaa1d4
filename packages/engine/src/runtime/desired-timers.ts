import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { TimerRecord } from '../ports/store.js';
import type { InstanceContext, TaskRecord } from './instance-context.js';

/**
 * Timers already made for a task record. A record object lives under one key of one instance and
 * is replaced, never changed, so its timers are too: an event of a unit with hundreds of tasks
 * allocates timers only for the tasks it changed.
 */
const timersOfTask = new WeakMap<TaskRecord, readonly TimerRecord[]>();

/**
 * The timers an instance needs in its current state: the window end of its phase, each open task's
 * deadline and reminder, the next occurrence of each recurring duty of the phase, each running
 * rectification deadline. Derived, never scheduled by hand, so the stored set is always exactly
 * what the state implies; an ended campaign needs none.
 */
export function desiredTimers(plan: CampaignPlan, instanceId: string, context: InstanceContext, phase: string | undefined): TimerRecord[] {
  if (phase === undefined) return [];
  const timers: TimerRecord[] = [];
  const current = plan.phaseById.get(phase);
  if (current?.exit === 'window-end') timers.push({ instanceId, key: `phase:${current.id}`, dueAt: current.end });
  for (const key in context.tasks) {
    const task = context.tasks[key] as TaskRecord;
    if (task.s !== 'open' || task.due === undefined) continue;
    let made = timersOfTask.get(task);
    if (made === undefined) {
      const due: TimerRecord = Object.freeze({ instanceId, key: `due:${key}`, dueAt: task.due });
      made = task.rem === undefined ? [due] : [due, Object.freeze({ instanceId, key: `remind:${key}`, dueAt: task.rem })];
      timersOfTask.set(task, made);
    }
    for (const t of made) timers.push(t);
  }
  if (current)
    for (const [id, next] of Object.entries(context.recur)) {
      const item = plan.items.get(id);
      const at = item?.phase === current.id ? item.recurrence?.starts[next] : undefined;
      if (at !== undefined) timers.push({ instanceId, key: `recur:${id}`, dueAt: at });
    }
  for (const [key, rec] of Object.entries(context.insp))
    if (rec.s === 'rectifying' && rec.due !== undefined) timers.push({ instanceId, key: `rectify:${key}`, dueAt: rec.due });
  return timers;
}

/** Whether two timer sets are the same (order aside). */
export function sameTimers(a: readonly TimerRecord[], b: readonly TimerRecord[]): boolean {
  if (a.length !== b.length) return false;
  const seen = new Map(a.map((t) => [t.key, t.dueAt]));
  return b.every((t) => seen.get(t.key) === t.dueAt);
}
