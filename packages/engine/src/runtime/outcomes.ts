import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { InstanceContext, TaskStatus } from './instance-context.js';
import type { InstanceRecord } from '../ports/store.js';
import { setOwn } from './own-keys.js';
import type { Outcomes, TaskStatusCounts, UnitOutcomeCounts } from './views.js';

type StatusCounts = { -readonly [S in keyof TaskStatusCounts]: number };

/**
 * Counts over the contexts of many instances what a campaign has come to: each item's tasks by
 * status, the subjects at or past each rung of each ladder, the subjects carrying each flag, the
 * subjects given each grade (等次).
 * Counted straight from the records: a whole campaign's task and subject views (a hundred thousand
 * objects at a thousand units) were most of the cost of reading it.
 */
export function countOutcomes(plan: CampaignPlan, contexts: Iterable<InstanceContext>): Pick<Outcomes, 'items' | 'ladders' | 'flags' | 'grades'> {
  // Each item's counts in `STATUS_ORDER`, reached straight from a task's local key (`item` or
  // `item#n`, the same few recurring in every unit): one look-up and a numbered slot per task, where
  // two maps and a property named by the status cost most of a count over a year's tasks.
  const items = new Map<string, number[]>();
  const countsOfKey = new Map<string, number[]>();
  // Each ladder's rung levels and, beside them, the subjects at or past each (arrays: a Map's entries per counter were most of a count).
  const ladders = new Map<string, { readonly levels: readonly number[]; readonly reached: number[] }>();
  for (const ladder of plan.ladders.values()) ladders.set(ladder.id, { levels: ladder.rungs.map((r) => r.level), reached: ladder.rungs.map(() => 0) });
  const flags = flagCounts(plan);
  const grades = new Map<string, Map<string, number>>();
  for (const grading of plan.gradings) grades.set(grading.id, new Map(grading.bands.map((b) => [b.grade, 0])));

  for (const context of contexts) {
    for (const own of context.tasks) {
      if (!own) continue;
      for (const local in own) {
        if (!Object.hasOwn(own, local)) continue;
        let counts = countsOfKey.get(local);
        if (counts === undefined) {
          const hash = local.indexOf('#');
          const item = hash < 0 ? local : local.slice(0, hash);
          counts = items.get(item);
          if (counts === undefined) items.set(item, (counts = [0, 0, 0, 0, 0]));
          countsOfKey.set(local, counts);
        }
        (counts[statusSlot((own[local] as { readonly s: TaskStatus }).s)] as number)++;
      }
    }
    for (const id in context.ladders) {
      const rungs = Object.hasOwn(context.ladders, id) ? ladders.get(id) : undefined;
      if (!rungs) continue;
      const { levels, reached } = rungs;
      for (const counter of context.ladders[id] ?? []) {
        if (!counter) continue;
        for (let r = 0; r < levels.length; r++) if (counter.n >= (levels[r] as number)) reached[r] = (reached[r] as number) + 1;
      }
    }
    countFlags(flags, context);
    for (const [id, bySlot] of Object.entries(context.grades ?? {})) {
      const bands = grades.get(id);
      if (bands) for (const grade of bySlot) if (grade !== null && bands.has(grade)) bands.set(grade, (bands.get(grade) as number) + 1);
    }
  }

  return {
    items: Object.fromEntries([...items].map(([item, counts]) => [item, statusCounts(counts)])),
    ladders: Object.fromEntries([...ladders].map(([id, { levels, reached }]) => [id, Object.fromEntries(levels.map((level, r) => [String(level), reached[r] as number]))])),
    flags: Object.fromEntries(flags),
    grades: Object.fromEntries([...grades].map(([id, bands]) => [id, Object.fromEntries(bands)])),
  };
}

/** Flag → subjects holding it, before any is counted: every flag the plan declares, at 0 (a flag no one holds is still shown). */
export function flagCounts(plan: CampaignPlan): Map<string, number> {
  return new Map([...plan.flags.keys()].map((flag) => [flag, 0]));
}

/**
 * Adds an instance's flags to `counts` (from `flagCounts`, or empty for only the flags held): each
 * subject (the unit, each member; one slot of `context.flags` each) counts once for every flag it
 * holds, so a count is the subjects holding the flag. Returns `counts`. The one count of flags:
 * `countOutcomes`, `countUnitOutcomes` and `PastFlags` (既往标记) all count with it.
 */
export function countFlags(counts: Map<string, number>, context: InstanceContext): Map<string, number> {
  for (const set of context.flags) if (set) for (const flag of set) counts.set(flag, (counts.get(flag) ?? 0) + 1);
  return counts;
}

/**
 * 各单位结果 — one instance's `UnitOutcomeCounts`, straight from its records (as `countOutcomes`
 * counts a campaign's): the per-unit views (`tasks`, `subjects`) made for every unit at the end of a
 * simulated year cost a thirtieth of the year.
 */
export function countUnitOutcomes(record: Pick<InstanceRecord, 'id' | 'unitId'>, context: InstanceContext): UnitOutcomeCounts {
  const counts = [0, 0, 0, 0, 0];
  let sum = 0;
  let max = 0;
  const lateByItem: Record<string, number> = {};
  for (const own of context.tasks) {
    if (!own) continue;
    for (const local in own) {
      if (!Object.hasOwn(own, local)) continue;
      const task = own[local] as { readonly s: TaskStatus; readonly due?: number; readonly at?: number };
      (counts[statusSlot(task.s)] as number)++;
      if (task.s !== 'late' || task.at === undefined || task.due === undefined) continue;
      const late = Math.max(0, task.at - task.due);
      sum += late;
      if (late > max) max = late;
      const hash = local.indexOf('#');
      const item = hash < 0 ? local : local.slice(0, hash);
      setOwn(lateByItem, item, (Object.hasOwn(lateByItem, item) ? (lateByItem[item] as number) : 0) + late);
    }
  }
  // Only the flags held, not every flag the plan declares (a unit's row names what it carries).
  const flags: Record<string, number> = Object.fromEntries(countFlags(new Map(), context));
  const grades: Record<string, string> = {};
  for (const [id, bySlot] of Object.entries(context.grades ?? {})) {
    const grade = bySlot[0];
    if (grade !== undefined && grade !== null) setOwn(grades, id, grade);
  }
  return { instanceId: record.id, unitId: record.unitId, tasks: statusCounts(counts), late: { sum, max }, lateByItem, flags, grades };
}

/** A task status's slot in a count: waiting, open, overdue, done, late. */
function statusSlot(status: TaskStatus): number {
  switch (status) {
    case 'waiting':
      return 0;
    case 'open':
      return 1;
    case 'overdue':
      return 2;
    case 'done':
      return 3;
    default:
      return 4;
  }
}

/** Counts by slot (`statusSlot`) as the view names them, in its key order. */
function statusCounts(counts: readonly number[]): StatusCounts {
  return { waiting: counts[0] ?? 0, open: counts[1] ?? 0, overdue: counts[2] ?? 0, done: counts[3] ?? 0, late: counts[4] ?? 0 };
}
