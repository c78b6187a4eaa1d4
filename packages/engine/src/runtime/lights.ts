import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { InstanceContext, TaskRecord } from './instance-context.js';
import { parseTaskKey } from './record-keys.js';
import type { StepRecords } from './step-records.js';
import { itemLight } from './item-lights.js';
import { forEachTask, taskAt, tasksOf } from './task-table.js';
import { taskRecord } from './task-record.js';
import { urgingFrom } from './urging.js';

/*
 * 红黄绿灯 — traffic lights (亮灯督办) on the tasks and units of a campaign that declares `lights`.
 * A task's light is state, never read off the clock: green while open, yellow from a `yellow` timer
 * (its due day less `yellowBefore`, or at once when it opens later than that), red once overdue (its
 * `due` timer), and blue or green when done. Only yellow needs a field of its own (`l`); the others
 * follow from the status, so a red light turns only when the work is done (the hysteresis the
 * directives ask for: "红灯须办结后方可转色"). Each yellow is counted on its task (`ny`) and raised
 * as the event `task-yellow`, which ladders and consequences hear ("同一任务第二次黄牌").
 */

/** 灯色 — a light: 绿灯, 黄灯, 红灯, 蓝灯 (done, when the campaign shows blue). */
export type Light = 'green' | 'yellow' | 'red' | 'blue';

/** Lights counted by colour. */
export interface LightCounts {
  readonly green: number;
  readonly yellow: number;
  readonly red: number;
  readonly blue: number;
}

/**
 * The fields a task record keeps through rewrites: the lights' (`TaskRecord.l`, `ny`, `u`, `ua`)
 * and the extension request's (`xr`, `xw` pending, `xn` approved, see `extensions.ts`).
 */
export type LightFields = Pick<TaskRecord, 'l' | 'ny' | 'u' | 'ua' | 'xr' | 'xw' | 'xn'>;

/** The light of a task, or undefined: the campaign has no lights, or the task waits for its deadline. */
export function taskLight(plan: CampaignPlan, task: TaskRecord): Light | undefined {
  if (plan.lights === undefined) return undefined;
  switch (task.s) {
    case 'waiting':
      return undefined;
    case 'open':
      return task.l === 'y' ? 'yellow' : 'green';
    case 'overdue':
      return 'red';
    default:
      return plan.lights.blue ? 'blue' : 'green';
  }
}

/** Worst first: a unit shows the worst light of its tasks. */
const SEVERITY: Readonly<Record<Light, number>> = { blue: 0, green: 1, yellow: 2, red: 3 };

/**
 * 单位灯色 — a unit's light: the worst of its tasks' (its own and its members', every occurrence) and,
 * where its items are lit (`itemLights`), its items' (督办事项), green when none has a light; undefined
 * when the campaign has no lights.
 */
export function unitLight(plan: CampaignPlan, context: InstanceContext): Light | undefined {
  if (plan.lights === undefined) return undefined;
  let worst: Light | undefined;
  forEachTask(context.tasks, (_key, task) => {
    const light = taskLight(plan, task);
    if (light !== undefined && (worst === undefined || SEVERITY[light] > SEVERITY[worst])) worst = light;
  });
  if (context.itemLights === true)
    for (const item of Object.values(context.tracked ?? {})) {
      const light = itemLight(plan, item, true);
      if (light !== undefined && (worst === undefined || SEVERITY[light] > SEVERITY[worst])) worst = light;
    }
  return worst ?? 'green';
}

/**
 * 成员灯色 — a member's light: the worst of its own tasks', green when none has one; '' when the
 * campaign has no lights (as a condition reads `subject.light`).
 */
export function memberLight(plan: CampaignPlan, context: InstanceContext, slot: number): Light | '' {
  if (plan.lights === undefined) return '';
  let worst: Light = 'green';
  let any = false;
  for (const task of tasksOf(context.tasks, slot)) {
    const light = taskLight(plan, task);
    if (light !== undefined && (!any || SEVERITY[light] > SEVERITY[worst])) {
      worst = light;
      any = true;
    }
  }
  return worst;
}

/** A unit's items counted by light (those with one); undefined when the campaign has no lights or no items. */
export function itemLightCounts(plan: CampaignPlan, context: InstanceContext): LightCounts | undefined {
  if (plan.lights === undefined || plan.trackedKinds === undefined) return undefined;
  const counts = noLights();
  addItemLights(plan, context, counts);
  return counts;
}

function addItemLights(plan: CampaignPlan, context: InstanceContext, counts: Record<Light, number>): void {
  for (const item of Object.values(context.tracked ?? {})) {
    const light = itemLight(plan, item, context.itemLights === true);
    if (light !== undefined) counts[light]++;
  }
}

/** A unit's tasks counted by light (none while waiting); undefined when the campaign has no lights. */
export function taskLightCounts(plan: CampaignPlan, context: InstanceContext): LightCounts | undefined {
  if (plan.lights === undefined) return undefined;
  const counts = { green: 0, yellow: 0, red: 0, blue: 0 };
  forEachTask(context.tasks, (_key, task) => {
    const light = taskLight(plan, task);
    if (light !== undefined) counts[light]++;
  });
  return counts;
}

/** Adds a unit's light, its tasks' lights and its items' (督办事项, when counted) to the counts of a roll-up (一级抓一级). */
export function addLights(plan: CampaignPlan, context: InstanceContext, counts: { units: Record<Light, number>; tasks: Record<Light, number>; items?: Record<Light, number> }): void {
  const light = unitLight(plan, context);
  if (light !== undefined) counts.units[light]++;
  forEachTask(context.tasks, (_key, task) => {
    const lit = taskLight(plan, task);
    if (lit !== undefined) counts.tasks[lit]++;
  });
  if (counts.items) addItemLights(plan, context, counts.items);
}

/** No light counted yet. */
export function noLights(): { green: number; yellow: number; red: number; blue: number } {
  return { green: 0, yellow: 0, red: 0, blue: 0 };
}

/** Per plan, yellow instants by due instant (deadlines are few: the tasks of a campaign share them). */
const yellowOfPlan = new WeakMap<CampaignPlan, Map<number, number>>();
const YELLOW_LIMIT = 10_000;

/**
 * 黄灯时间 — when a task due at `due` turns yellow: the start of the day `yellowBefore` before its
 * due day (the day that ends at `due`): "3个工作日" before Friday 10 May 2024 is Tuesday 7 May.
 * Undefined without lights.
 */
export function yellowAt(plan: CampaignPlan, due: number): number | undefined {
  const lights = plan.lights;
  if (lights === undefined) return undefined;
  let known = yellowOfPlan.get(plan);
  if (known === undefined) yellowOfPlan.set(plan, (known = new Map()));
  let at = known.get(due);
  if (at === undefined) {
    const dueDay = plan.calendar.dateTime(due - 1).startOf('day').toMillis();
    at = plan.calendar.subtractDuration(dueDay, lights.yellowBefore);
    if (known.size >= YELLOW_LIMIT) known.clear();
    known.set(due, at);
  }
  return at;
}

/** The yellow timer's time a task record needs: open, not yet yellow, in a campaign with lights. */
export function yellowTimerAt(plan: CampaignPlan, task: TaskRecord): number | undefined {
  if (plan.lights === undefined || task.s !== 'open' || task.l === 'y' || task.due === undefined) return undefined;
  return yellowAt(plan, task.due);
}

/**
 * The light fields a task keeps when its record is written again: counts always; the yellow
 * itself and the next urging only while it stays open (`same`: written again with the same
 * deadline, e.g. reminded), not when it opens with a new deadline, is done or goes overdue (where
 * the urging goes on, see `urging.ts`).
 */
export function keptLight(task: TaskRecord | undefined, change: 'same' | 'reopened' | 'overdue' | 'done'): LightFields | undefined {
  if (task === undefined || (task.ny === undefined && task.u === undefined && task.xr === undefined && task.xn === undefined)) return undefined;
  if (change === 'same') return task;
  // A pending extension request outlives a new deadline and the deadline passing (it was asked in
  // time; the office may still approve it), not the task's completion.
  if (change === 'overdue') return { ny: task.ny, u: task.u, ua: task.ua, xr: task.xr, xw: task.xw, xn: task.xn };
  if (change === 'reopened') return { ny: task.ny, u: task.u, xr: task.xr, xw: task.xw, xn: task.xn };
  return { ny: task.ny, u: task.u, xn: task.xn };
}

/**
 * A task has just been opened (or counted again with a new deadline; `before`, its record until
 * then): yellow at once when its yellow time has passed. A yellow task counted again to a later
 * deadline is green again (its count stays); one still inside its yellow time stays yellow, the
 * same yellow (not counted again), its urging going on.
 */
export function lightOnOpen(records: StepRecords, key: string, before: TaskRecord | undefined): void {
  const task = taskAt(records.context.tasks, key);
  if (task === undefined) return;
  const at = yellowTimerAt(records.plan, task);
  if (at === undefined || at > records.at) return;
  if (before?.s === 'open' && before.l === 'y') records.setTask(key, taskRecord(task.s, task.due, task.rem, task.at, task.by, { ...before, xr: task.xr, xw: task.xw, xn: task.xn }));
  else turnYellow(records, key);
}

/**
 * 亮黄灯 — a task turns yellow (its `yellow` timer, or on opening late): the light and its count
 * written, the urging begun when it urges from yellow, and `task-yellow` raised with the count.
 */
export function turnYellow(records: StepRecords, key: string): void {
  const { plan } = records;
  const task = taskAt(records.context.tasks, key);
  if (plan.lights === undefined || task?.s !== 'open' || task.l === 'y') return;
  const ny = (task.ny ?? 0) + 1;
  const urged = plan.lights.urge?.from === 'yellow' ? urgingFrom(records, key, task) : { u: task.u, ua: task.ua };
  records.setTask(key, taskRecord(task.s, task.due, task.rem, task.at, task.by, { l: 'y', ny, ...urged, xr: task.xr, xw: task.xw, xn: task.xn }));
  const { item, member } = parseTaskKey(key);
  records.raise('task-yellow', member, { task: item, yellows: ny });
}
