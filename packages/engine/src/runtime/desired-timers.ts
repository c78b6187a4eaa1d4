import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { TimerRecord } from '../ports/store.js';
import type { InstanceContext, TaskRecord } from './instance-context.js';
import { forEachTask, taskAt } from './task-table.js';

const NO_TIMERS: readonly TimerRecord[] = Object.freeze([]);

/**
 * The keys of a task's two timers (its deadline and its reminder), made once per task key. Task keys
 * repeat from unit to unit (members by position), so this stays small, and every map the timers go
 * through meets the same strings again instead of new ones to hash on every event.
 */
const timerKeysOfTask = new Map<string, readonly [due: string, remind: string]>();
const TIMER_KEYS_LIMIT = 100_000;

function timerKeys(taskKey: string): readonly [due: string, remind: string] {
  let keys = timerKeysOfTask.get(taskKey);
  if (keys === undefined) {
    if (timerKeysOfTask.size >= TIMER_KEYS_LIMIT) timerKeysOfTask.clear();
    keys = [`due:${taskKey}`, `remind:${taskKey}`];
    timerKeysOfTask.set(taskKey, keys);
  }
  return keys;
}

/** The timers a task record needs under `key`: its deadline and reminder while it is open. */
function taskTimers(instanceId: string, key: string, task: TaskRecord | undefined): readonly TimerRecord[] {
  if (task === undefined || task.s !== 'open' || task.due === undefined) return NO_TIMERS;
  // Made again when asked again (not cached by record): an event asks once for each task it changed.
  const [dueKey, remindKey] = timerKeys(key);
  const due: TimerRecord = Object.freeze({ instanceId, key: dueKey, dueAt: task.due });
  return task.rem === undefined ? [due] : [due, Object.freeze({ instanceId, key: remindKey, dueAt: task.rem })];
}

/** Whether a timer key belongs to a task rather than to the phase, a recurrence or a rectification. */
function isTaskTimer(key: string): boolean {
  return key.startsWith('due:') || key.startsWith('remind:');
}

/** The timers that belong to no task: the window end of the phase, recurrences, rectification deadlines. */
function otherTimers(plan: CampaignPlan, instanceId: string, context: InstanceContext, phase: string): TimerRecord[] {
  const timers: TimerRecord[] = [];
  const current = plan.phaseById.get(phase);
  if (current?.exit === 'window-end') timers.push({ instanceId, key: `phase:${current.id}`, dueAt: current.end });
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

/**
 * The timers an instance needs in its current state: the window end of its phase, each open task's
 * deadline and reminder, the next occurrence of each recurring duty of the phase, each running
 * rectification deadline. Derived, never scheduled by hand, so the stored set is always exactly
 * what the state implies; an ended campaign needs none.
 */
export function desiredTimers(plan: CampaignPlan, instanceId: string, context: InstanceContext, phase: string | undefined): TimerRecord[] {
  if (phase === undefined) return [];
  const timers = otherTimers(plan, instanceId, context, phase);
  forEachTask(context.tasks, (key, task) => {
    for (const t of taskTimers(instanceId, key, task)) timers.push(t);
  });
  return timers;
}

/** What to write to make an instance's stored timers what its state needs. */
export interface TimerPatch {
  /** Timers to insert or move. */
  readonly put: TimerRecord[];
  /** Keys of timers to delete. */
  readonly remove: string[];
}

/**
 * The same set as `desiredTimers`, as changes to `current` (the timers the instance is known to
 * have), looking only at the timers of the tasks under `taskKeys` and, when `others` is set, at the
 * timers that belong to no task: an event that changed three tasks of a unit with hundreds costs
 * three lookups. The caller passes every task key changed since `current` was true, and `others`
 * whenever the phase, the recurrences or the inspection loops changed.
 */
export function timerPatch(
  plan: CampaignPlan,
  instanceId: string,
  context: InstanceContext,
  phase: string,
  current: ReadonlyMap<string, TimerRecord>,
  taskKeys: Iterable<string>,
  others: boolean,
): TimerPatch {
  const put: TimerRecord[] = [];
  const remove: string[] = [];
  for (const key of taskKeys) {
    // What `taskTimers` would want, a record made only for a timer that is new or moves.
    const task = taskAt(context.tasks, key);
    const [dueKey, remindKey] = timerKeys(key);
    const due = task !== undefined && task.s === 'open' ? task.due : undefined;
    const remind = due === undefined ? undefined : (task as TaskRecord).rem;
    if (due === undefined) {
      if (current.has(dueKey)) remove.push(dueKey);
    } else if (current.get(dueKey)?.dueAt !== due) put.push(Object.freeze({ instanceId, key: dueKey, dueAt: due }));
    if (remind === undefined) {
      if (current.has(remindKey)) remove.push(remindKey);
    } else if (current.get(remindKey)?.dueAt !== remind) put.push(Object.freeze({ instanceId, key: remindKey, dueAt: remind }));
  }
  if (others) {
    const wanted = otherTimers(plan, instanceId, context, phase);
    const keys = new Set<string>();
    for (const timer of wanted) {
      keys.add(timer.key);
      if (current.get(timer.key)?.dueAt !== timer.dueAt) put.push(timer);
    }
    for (const key of current.keys()) if (!isTaskTimer(key) && !keys.has(key)) remove.push(key);
  }
  return { put, remove };
}

/** Applies a patch to a timer map in place. */
export function applyTimerPatch(timers: Map<string, TimerRecord>, patch: TimerPatch): void {
  for (const key of patch.remove) timers.delete(key);
  for (const timer of patch.put) timers.set(timer.key, timer);
}

/** Whether two timer sets are the same (order aside). */
export function sameTimers(a: readonly TimerRecord[], b: readonly TimerRecord[]): boolean {
  if (a.length !== b.length) return false;
  const seen = new Map(a.map((t) => [t.key, t.dueAt]));
  return b.every((t) => seen.get(t.key) === t.dueAt);
}
