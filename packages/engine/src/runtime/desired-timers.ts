import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { TimerRecord } from '../ports/store.js';
import type { InstanceContext, TaskRecord } from './instance-context.js';
import { flagLapseAt } from './consequences.js';
import { yellowTimerAt } from './lights.js';
import { itemTimers } from './item-cards.js';
import { monthCardsTimer } from './monthly-cards.js';
import { forEachTask, taskAt } from './task-table.js';
import { formatTimerKey } from './timer-keys.js';
import { ENDED } from '../compiler/compile-machine.js';
import { wrapUpTimers } from './wrap-up.js';

const NO_TIMERS: readonly TimerRecord[] = Object.freeze([]);

/** A task's timer keys: its deadline's, its reminder's, its yellow light's and its urging's (红黄绿灯, 催办). */
type TaskTimerKeys = readonly [due: string, remind: string, yellow: string, urge: string];

/**
 * The keys of a task's two timers (its deadline and its reminder), made once per task key and plan.
 * Task keys repeat from unit to unit (members by position), so this stays small, and every map the
 * timers go through meets the same strings again instead of new ones to hash on every event.
 */
const timerKeysOfPlan = new WeakMap<CampaignPlan, Map<string, TaskTimerKeys>>();
const TIMER_KEYS_LIMIT = 100_000;

/** The timer keys made so far for a plan's tasks. */
function timerKeysOf(plan: CampaignPlan): Map<string, TaskTimerKeys> {
  let known = timerKeysOfPlan.get(plan);
  if (known === undefined) timerKeysOfPlan.set(plan, (known = new Map()));
  return known;
}

function timerKeys(known: Map<string, TaskTimerKeys>, taskKey: string): TaskTimerKeys {
  let keys = known.get(taskKey);
  if (keys === undefined) {
    if (known.size >= TIMER_KEYS_LIMIT) known.clear();
    keys = [
      formatTimerKey({ kind: 'due', task: taskKey }),
      formatTimerKey({ kind: 'remind', task: taskKey }),
      formatTimerKey({ kind: 'yellow', task: taskKey }),
      formatTimerKey({ kind: 'urge', task: taskKey }),
    ];
    known.set(taskKey, keys);
  }
  return keys;
}

/**
 * The timers a task record needs under `key`: its deadline and reminder while it is open, its yellow
 * light while open and not yet yellow, its next urging while open or overdue (see `taskTimes`).
 */
function taskTimers(plan: CampaignPlan, known: Map<string, TaskTimerKeys>, instanceId: string, key: string, task: TaskRecord | undefined): readonly TimerRecord[] {
  if (task === undefined || task.s === 'waiting') return NO_TIMERS;
  const times = timesOf(plan, task);
  if (times === NO_TIMES) return NO_TIMERS;
  // Made again when asked again (not cached by record): an event asks once for each task it changed.
  const keys = timerKeys(known, key);
  const timers: TimerRecord[] = [];
  for (let i = 0; i < 4; i++) {
    const dueAt = times[i];
    if (dueAt !== undefined) timers.push(Object.freeze({ instanceId, key: keys[i] as string, dueAt }));
  }
  return timers;
}

/** The timers that belong to no task: the window end of the phase (and its start, while the unit waits for it), recurrences, rectification deadlines, flags lapsing, items' due days and month turns. */
function otherTimers(plan: CampaignPlan, instanceId: string, context: InstanceContext, phase: string): TimerRecord[] {
  // 收尾: phases over, work due after them open: only that work's timers and the campaign's end.
  // 督办事项: items lit by their due days keep their timers in every phase and in the wrap-up (not once closed).
  // 按月亮牌: the next month's turn, likewise in every phase and in the wrap-up.
  if (phase === ENDED) {
    if (context.tracked === undefined || context.closesAt === undefined) return wrapUpTimers(instanceId, context);
    const months = monthCardsTimer(plan, instanceId, context);
    return [...wrapUpTimers(instanceId, context), ...itemTimers(plan, instanceId, context), ...(months ? [months] : [])];
  }
  const timers: TimerRecord[] = context.tracked === undefined ? [] : itemTimers(plan, instanceId, context);
  const months = context.tracked === undefined ? undefined : monthCardsTimer(plan, instanceId, context);
  if (months) timers.push(months);
  const current = plan.phaseById.get(phase);
  if (current?.exit === 'window-end') timers.push({ instanceId, key: formatTimerKey({ kind: 'phase', phase: current.id }), dueAt: current.end });
  if (current && context.opensAt !== undefined) timers.push({ instanceId, key: formatTimerKey({ kind: 'opens', phase: current.id }), dueAt: context.opensAt });
  if (current)
    for (const [id, next] of Object.entries(context.recur)) {
      const item = plan.items.get(id);
      // A phase's duties tick while it runs; the campaign's own (全程) in every phase.
      const at = item !== undefined && (item.campaignWide === true || item.phase === current.id) ? item.recurrence?.starts[next] : undefined;
      if (at !== undefined) timers.push({ instanceId, key: formatTimerKey({ kind: 'recur', item: id }), dueAt: at });
    }
  for (const [key, rec] of Object.entries(context.insp))
    if (rec.s === 'rectifying' && rec.due !== undefined) timers.push({ instanceId, key: formatTimerKey({ kind: 'rectify', inspection: key }), dueAt: rec.due });
  const lapse = flagLapseAt(plan, context);
  if (lapse !== undefined) timers.push({ instanceId, key: formatTimerKey({ kind: 'lapse', period: (context.flagPeriod as number) + 1 }), dueAt: lapse });
  return timers;
}

/**
 * The timers an instance needs in its current state: the window end of its phase, each open task's
 * deadline and reminder, the next occurrence of each recurring duty of the phase, each running
 * rectification deadline. Derived, never scheduled by hand, so the stored set is always exactly
 * what the state implies; an ended campaign needs none, one in its wrap-up (收尾) only its open
 * tasks' and its closing's.
 */
export function desiredTimers(plan: CampaignPlan, instanceId: string, context: InstanceContext, phase: string | undefined): TimerRecord[] {
  if (phase === undefined) return [];
  const timers = otherTimers(plan, instanceId, context, phase);
  const known = timerKeysOf(plan);
  forEachTask(
    context.tasks,
    (key, task) => {
      for (const t of taskTimers(plan, known, instanceId, key, task)) timers.push(t);
    },
    hasTimers,
  );
  return timers;
}

/**
 * The keys of the timers `desiredTimers` gives, without the records: what an instance that has just
 * ended (no timer left) removes. An instance ends with every open task of its year at once (a
 * campaign's year-end instant ends a thousand of them), so no record is made only to be dropped.
 */
export function desiredTimerKeys(plan: CampaignPlan, instanceId: string, context: InstanceContext, phase: string | undefined): string[] {
  if (phase === undefined) return [];
  const keys = otherTimers(plan, instanceId, context, phase).map((timer) => timer.key);
  const known = timerKeysOf(plan);
  // Whole task keys made only for the tasks that have timers: at its end most of a year's are done.
  forEachTask(
    context.tasks,
    (key, task) => {
      const times = timesOf(plan, task);
      const names = timerKeys(known, key);
      for (let i = 0; i < 4; i++) if (times[i] !== undefined) keys.push(names[i] as string);
    },
    hasTimers,
  );
  return keys;
}

/** What to write to make an instance's stored timers what its state needs. */
export interface TimerPatch {
  /** Timers to insert or move. */
  readonly put: TimerRecord[];
  /** Keys of timers to delete. */
  readonly remove: string[];
}

/** The state an instance's timers are derived from: its context and phase (undefined once ended). */
export interface TimerState {
  readonly context: InstanceContext;
  readonly phase: string | undefined;
}

/**
 * The same set as `desiredTimers` for `after`, as changes to the set it gives for `before` (which the
 * store holds: timers are derived, never kept apart), looking only at the timers of the tasks under
 * `taskKeys` and, when `others` is set, at the timers that belong to no task: an event that changed
 * three tasks of a unit with hundreds costs three pairs of record reads, both already read by the
 * step. The caller passes every task key changed between the two, and `others` whenever the phase,
 * the wait for a window, the recurrences, the inspection loops or the flags' period changed. A timer that has just fired was already deleted
 * by its claim: its removal here deletes nothing.
 */
export function timerPatch(plan: CampaignPlan, instanceId: string, before: TimerState, after: TimerState, taskKeys: Iterable<string>, others: boolean): TimerPatch {
  const put: TimerRecord[] = [];
  const remove: string[] = [];
  const known = timerKeysOf(plan);
  for (const key of taskKeys) {
    const keys = timerKeys(known, key);
    const was = taskTimes(plan, before, key);
    const is = taskTimes(plan, after, key);
    if (was === is) continue;
    // A record made only for a timer that is new or moves.
    for (let i = 0; i < 4; i++) {
      const at = is[i];
      if (at === undefined) {
        if (was[i] !== undefined) remove.push(keys[i] as string);
      } else if (at !== was[i]) put.push(Object.freeze({ instanceId, key: keys[i] as string, dueAt: at }));
    }
  }
  if (others) {
    const had = new Map<string, number>();
    if (before.phase !== undefined) for (const timer of otherTimers(plan, instanceId, before.context, before.phase)) had.set(timer.key, timer.dueAt);
    const wanted = after.phase === undefined ? [] : otherTimers(plan, instanceId, after.context, after.phase);
    for (const timer of wanted) {
      if (had.get(timer.key) !== timer.dueAt) put.push(timer);
      had.delete(timer.key);
    }
    for (const key of had.keys()) remove.push(key);
  }
  return { put, remove };
}

/** When a task's timers are due in a state, in the order of `TaskTimerKeys` (undefined: it needs none). */
function taskTimes(plan: CampaignPlan, state: TimerState, key: string): TaskTimes {
  if (state.phase === undefined) return NO_TIMES;
  const task = taskAt(state.context.tasks, key);
  return task === undefined ? NO_TIMES : timesOf(plan, task);
}

/** Whether `timesOf` gives a task any time: open with a deadline, or open or overdue with an urging due. */
function hasTimers(task: TaskRecord): boolean {
  return (task.s === 'open' && task.due !== undefined) || (task.ua !== undefined && (task.s === 'open' || task.s === 'overdue'));
}

/** A task record's timer times: deadline and reminder while open; yellow while open and not yet yellow; urging while open or overdue. */
function timesOf(plan: CampaignPlan, task: TaskRecord): TaskTimes {
  const open = task.s === 'open' && task.due !== undefined;
  const urge = task.ua !== undefined && (task.s === 'open' || task.s === 'overdue') ? task.ua : undefined;
  if (!open) return urge === undefined ? NO_TIMES : [undefined, undefined, undefined, urge];
  const yellow = plan.lights === undefined ? undefined : yellowTimerAt(plan, task);
  return [task.due, task.rem, yellow, urge];
}

type TaskTimes = readonly [due: number | undefined, remind: number | undefined, yellow: number | undefined, urge: number | undefined];

const NO_TIMES: TaskTimes = Object.freeze([undefined, undefined, undefined, undefined] as const);
