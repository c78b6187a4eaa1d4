import type { CampaignPlan, ItemPlan } from '../compiler/campaign-plan.js';
import type { InstanceContext, TaskRecord, TaskStatus } from './instance-context.js';
import { defaultOccurrence, occurrenceOfDay, periodDay } from './occurrence-period.js';
import { ownValue } from './own-keys.js';
import { memberIdOf, parseTaskKey, publicTaskKey, taskKey, withKey } from './record-keys.js';
import { effectDraft, type StepRecords } from './step-records.js';
import { forEachTask, localTaskKey, taskAt, taskFor, taskIn } from './task-table.js';
import { taskRecord } from './task-record.js';
import { keptLight, lightOnOpen } from './lights.js';
import { urgingFrom } from './urging.js';

export { taskRecord } from './task-record.js';

/*
 * 任务 — the tasks of an instance: an item's task opened for each subject that holds it (the unit, or
 * every member), due at a fixed day, at the end of its stage, or a while after an anchor (a phase
 * entered, another task done: "创建标准后5个工作日内"); reminded before, overdue after its deadline
 * (its `onOverdue` outcome and the `task-overdue` event), done on time or late. Recurring items
 * open one task per occurrence (see recurrences.ts). Whether an item is done for every subject is
 * what the statechart's guards ask (`RequiredDone`, required-done.ts).
 */

/**
 * Whether an item runs by occurrences in this instance: a recurring duty always; an evaluation or an
 * inspection with `every:` in an instance this release started (`scoresPerOccurrence`, named for the
 * evaluations, the first to recur), else as it ran when the instance started: an evaluation once,
 * a periodic inspection not at all (`isScheduled`).
 */
export function recurs(item: ItemPlan, context: InstanceContext): boolean {
  return item.recurrence !== undefined && (item.kind === 'task' || item.kind === 'recurring' || context.scoresPerOccurrence === true);
}

/**
 * Whether an item opens tasks in this instance: all do, but a periodic inspection's occurrences
 * only where it recurs: an instance started before inspections were scheduled (定期检查) has none.
 */
export function isScheduled(item: ItemPlan, context: InstanceContext): boolean {
  return item.kind !== 'inspection' || recurs(item, context);
}

/** Whether an instance carries an item at all. */
export function holdsItem(item: ItemPlan, context: InstanceContext): boolean {
  return item.holder === 'office' ? context.office : context.unitWork;
}

/** Whether every subject of this instance has finished an item (recurring: every occurrence so far and to come). */
export function itemDone(plan: CampaignPlan, context: InstanceContext, id: string): boolean {
  return unfinishedSlot(plan, context, id) === undefined;
}

/**
 * Undefined when every subject of this instance has finished an item (recurring: every occurrence so
 * far and to come); else a subject slot that has not (0 for an item still to recur). The slots are
 * looked at from `from` on and round to it, so a caller that remembers the slot last found
 * unfinished finds it again at once while it stays so (late in a year most members have finished).
 */
export function unfinishedSlot(plan: CampaignPlan, context: InstanceContext, id: string, from = 0): number | undefined {
  const item = plan.items.get(id);
  if (!item || !holdsItem(item, context)) return undefined;
  // Subject slots: the unit's alone, or every member's (slot r + 1 for reference r).
  const first = item.perMember ? 1 : 0;
  const last = item.perMember ? context.members.length : 0;
  const { tasks } = context;
  if (item.recurrence && recurs(item, context)) {
    const next = ownValue(context.recur, id) ?? 0;
    if (next < item.recurrence.starts.length) return 0;
    for (let n = 0; n < next; n++) {
      const local = localTaskKey(id, n);
      for (let slot = first; slot <= last; slot++) {
        const t = taskIn(tasks, slot, local);
        if (t && t.s !== 'done' && t.s !== 'late') return slot;
      }
    }
    return undefined;
  }
  const start = from >= first && from <= last ? from : first;
  for (let i = 0, slot = start; i <= last - first; i++, slot = slot === last ? first : slot + 1) {
    const t = taskIn(tasks, slot, id);
    if (!t || (t.s !== 'done' && t.s !== 'late')) return slot;
  }
  return undefined;
}

/**
 * Opens an item's task for a subject: due when given, else when its due rule says, waiting while its
 * anchor's time is not known. Tasks counted from this one ("创建标准后5个工作日内") are counted again
 * from its new deadline while their anchor is not done.
 */
export function openTask(records: StepRecords, item: ItemPlan, member: string | undefined, occurrence: number | undefined, due?: number, depth = 0): void {
  const key = taskKey(item.id, member, occurrence);
  const at = due ?? dueOf(records, item, member);
  if (at === undefined) {
    records.setTask(key, taskRecord('waiting'));
    return;
  }
  const remind = item.remindBefore ? records.plan.calendar.subtractDuration(at, item.remindBefore) : undefined;
  // Only lit tasks and tasks of a campaign with extensions keep anything of the record they replace
  // (their yellow count, their urging, a pending extension request, the extensions approved).
  const before = records.plan.lights || records.plan.extensions ? taskAt(records.context.tasks, key) : undefined;
  records.setTask(key, taskRecord('open', at, remind !== undefined && remind > records.at ? remind : undefined, undefined, undefined, keptLight(before, 'reopened')));
  if (records.plan.lights) lightOnOpen(records, key, before);
  if (occurrence === undefined && hasDependents(records.plan, item.id)) recountDependents(records, item, member, depth + 1);
}

/**
 * The due time of an item for a subject. Counted from a phase: from its entry. Counted from another
 * task (its anchor): from the anchor's completion once it is done, and while it is not, from the end of
 * the anchor's deadline, so the task has a deadline even when its anchor is never done; undefined
 * (waiting) while neither is known.
 */
function dueOf(records: StepRecords, item: ItemPlan, member: string | undefined): number | undefined {
  const own = ownDueOf(records, item, member);
  const levels = records.context.levelsAbove;
  return item.cascadeWithin === undefined || levels === undefined || member !== undefined ? own : cascadeDue(records, item, item.cascadeWithin, levels, own);
}

/**
 * 层层分解 — the due time of a task of a unit below the top level: `within` after its parent unit
 * did it; while the parent has not, after the parent's deadline, which is the top level's own due
 * (`own`) carried down one `within` a level (each level done at its last instant).
 */
function cascadeDue(records: StepRecords, item: ItemPlan, within: NonNullable<ItemPlan['cascadeWithin']>, levels: number, own: number | undefined): number | undefined {
  const { calendar } = records.plan;
  const done = records.context.parentDone === undefined ? undefined : ownValue(records.context.parentDone, item.id);
  if (done !== undefined) return calendar.addDuration(done, within);
  let at = own;
  for (let level = 0; level < levels && at !== undefined; level++) at = calendar.addDuration(at - 1, within);
  return at;
}

/** The due time its own `due` gives (the top level's, for a task with `cascadeWithin`). */
function ownDueOf(records: StepRecords, item: ItemPlan, member: string | undefined): number | undefined {
  if (item.dueAt !== undefined) return item.dueAt;
  const due = item.due;
  if (!due || due.kind !== 'after') return item.stageEnd;
  const { plan, context } = records;
  const entered = ownValue(context.entered, due.anchor);
  if (entered !== undefined) return plan.calendar.addDuration(entered, due.duration);
  const anchor = plan.items.get(due.anchor);
  if (!anchor) return item.stageEnd;
  const from = anchorTime(records, anchor, member);
  return from === undefined ? undefined : plan.calendar.addDuration(from, due.duration);
}

/**
 * When a count from `anchor` starts for a subject: the anchor's completion, or the last instant of its
 * deadline while it is not done. An anchor done in other instances (the office's 全区动员大会 for every
 * unit) counts from when it was done there once this instance is told (`anchor.done`), and until then
 * from its deadline in the plan: its fixed day, else the end of its stage.
 */
function anchorTime(records: StepRecords, anchor: ItemPlan, member: string | undefined): number | undefined {
  const { context } = records;
  if (holdsItem(anchor, context)) {
    const task = taskFor(context.tasks, anchor.id, anchor.perMember ? member : undefined) ?? taskFor(context.tasks, anchor.id);
    if (task?.at !== undefined && (task.s === 'done' || task.s === 'late')) return task.at;
    if (task?.due !== undefined) return task.due - 1;
    if (task?.s === 'waiting') return undefined;
  } else {
    const done = context.elsewhere === undefined ? undefined : ownValue(context.elsewhere, anchor.id);
    if (done !== undefined) return done;
  }
  const deadline = anchor.dueAt ?? anchor.stageEnd;
  return deadline === undefined ? undefined : deadline - 1;
}

/**
 * A subject's task done, on time or late once due. For a recurring item, the occurrence the completion
 * names by its period (报告期), or the current (latest started) one: an older occurrence left open stays
 * overdue rather than taking the completion of a later period.
 */
export function completeTask(records: StepRecords, itemId: string, member: string | undefined, period?: string): void {
  const item = records.plan.items.get(itemId);
  if (!item) return;
  const key = namedTaskKey(records, item, member, period);
  if (key === undefined) return;
  const task = taskAt(records.context.tasks, key);
  if (!task || (task.s !== 'open' && task.s !== 'overdue')) return;
  const late = task.s === 'overdue' || (task.due !== undefined && records.at >= task.due);
  records.setTask(key, taskRecord(late ? 'late' : 'done', task.due, undefined, records.at, records.event?.actor, keptLight(task, 'done')));
  // Tasks counted from this one ("创建标准后5个工作日内") count from now, not from its deadline.
  if (hasDependents(records.plan, itemId)) recountDependents(records, item, member, 1);
}

/**
 * The record key of the task an event names (a completion, an extension request): for a recurring
 * item, the occurrence its period (报告期) names, or the current (latest started) one; undefined
 * when there is none.
 */
export function namedTaskKey(records: StepRecords, item: ItemPlan, member: string | undefined, period: string | undefined): string | undefined {
  if (!item.recurrence || !recurs(item, records.context)) return taskKey(item.id, member);
  const day = period === undefined ? undefined : periodDay(records.plan, period);
  const started = ownValue(records.context.recur, item.id) ?? 0;
  const n = period === undefined ? defaultOccurrence(records.context.tasks, item, started, member) : day === undefined ? undefined : occurrenceOfDay(item, day);
  return n === undefined || n < 0 ? undefined : taskKey(item.id, member, n);
}

/**
 * Counts again the tasks of `anchor`'s subject (or of every subject, when the anchor is the unit's)
 * that are counted from it and not yet due: waiting ones open, open ones move to the deadline their
 * anchor now gives. One already overdue or done keeps its record: what followed from it stands.
 */
function recountDependents(records: StepRecords, anchor: ItemPlan, member: string | undefined, depth: number): void {
  // A chain of anchors is no longer than the plan's items; the validator refuses none that loops, but a step never recurses without end.
  if (depth > records.plan.items.size) return;
  const dependents: [key: string, due: number | undefined][] = [];
  forEachTask(records.context.tasks, (k, t) => {
    if (t.s === 'waiting' || t.s === 'open') dependents.push([k, t.due]);
  });
  for (const [k, before] of dependents) {
    const w = parseTaskKey(k);
    const waiting = records.plan.items.get(w.item);
    if (waiting?.due?.kind !== 'after' || waiting.due.anchor !== anchor.id || w.occurrence !== undefined) continue;
    if (w.member !== undefined && anchor.perMember && w.member !== member) continue;
    const due = dueOf(records, waiting, w.member);
    if (due !== undefined && due !== before) openTask(records, waiting, w.member, undefined, due, depth);
  }
}

/** 他处完成 — a task another instance holds was done at `doneAt` (`anchor.done`): kept, and the tasks here counted from it counted again. */
export function anchorDoneElsewhere(records: StepRecords, itemId: string, doneAt: number): void {
  const anchor = records.plan.items.get(itemId);
  if (!anchor || holdsItem(anchor, records.context)) return;
  records.patch({ elsewhere: withKey(records.context.elsewhere ?? {}, itemId, doneAt) });
  recountDependents(records, anchor, undefined, 1);
}

/**
 * 上级完成 — this unit's parent did a task with `cascadeWithin` at `doneAt` (`anchor.done` with
 * `parent`): kept, and the same task here, while waiting or open, counted again from then (and the
 * tasks counted from it with it). One already overdue or done keeps its record.
 */
export function parentDone(records: StepRecords, itemId: string, doneAt: number): void {
  const item = records.plan.items.get(itemId);
  if (!item?.cascadeWithin || records.context.levelsAbove === undefined || !holdsItem(item, records.context)) return;
  records.patch({ parentDone: withKey(records.context.parentDone ?? {}, itemId, doneAt) });
  const task = taskFor(records.context.tasks, itemId);
  if (task?.s !== 'waiting' && task?.s !== 'open') return;
  const due = dueOf(records, item, undefined);
  if (due !== undefined && due !== task.due) openTask(records, item, undefined, undefined, due);
}

/**
 * The task a host event has just done in this instance, when tasks of other instances are counted
 * from it (the office's 全区动员大会, units' 本级动员会): its id and when it was done, for the driver
 * to tell every other instance of the campaign (`anchor.done`) in the same transaction; with
 * `parent` (层层分解, `cascadeWithin`), only the units directly below this one.
 */
export function anchorDoneHere(
  plan: CampaignPlan,
  context: InstanceContext,
  raw: unknown,
): { readonly task: string; readonly doneAt: number; readonly parent?: true } | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, task } = raw as { type?: unknown; task?: unknown };
  if ((type !== 'task.completed' && type !== 'report.submitted') || typeof task !== 'string') return undefined;
  const item = plan.items.get(task);
  if (!item || item.recurrence || item.perMember || !holdsItem(item, context)) return undefined;
  const cascade = item.cascadeWithin !== undefined && item.holder === 'unit';
  if (!cascade && !remoteAnchors(plan).has(item.id)) return undefined;
  const done = taskFor(context.tasks, item.id);
  if (done?.at === undefined || (done.s !== 'done' && done.s !== 'late')) return undefined;
  return cascade ? { task: item.id, doneAt: done.at, parent: true } : { task: item.id, doneAt: done.at };
}

const remoteAnchorsByPlan = new WeakMap<CampaignPlan, ReadonlySet<string>>();

/** The office's items that units' tasks are counted from (全区动员大会 for 本级动员会). */
function remoteAnchors(plan: CampaignPlan): ReadonlySet<string> {
  let anchors = remoteAnchorsByPlan.get(plan);
  if (!anchors) {
    const set = new Set<string>();
    for (const item of plan.items.values()) {
      const anchor = item.due?.kind === 'after' ? plan.items.get(item.due.anchor) : undefined;
      // Only the office's work is told to the units: an office task counted from units' work counts from that work's deadline (one deadline, many completions).
      if (anchor?.holder === 'office' && item.holder === 'unit') set.add(anchor.id);
    }
    remoteAnchorsByPlan.set(plan, set);
    anchors = set;
  }
  return anchors;
}

const dependentsByPlan = new WeakMap<CampaignPlan, ReadonlySet<string>>();

/** Whether any item of the plan is due a while after this one is done (so its completion may open others). */
function hasDependents(plan: CampaignPlan, itemId: string): boolean {
  let anchors = dependentsByPlan.get(plan);
  if (!anchors) {
    const set = new Set<string>();
    for (const item of plan.items.values()) if (item.due?.kind === 'after') set.add(item.due.anchor);
    dependentsByPlan.set(plan, set);
    anchors = set;
  }
  return anchors.has(itemId);
}

/** A task's deadline passed while it was open (its `due` timer, `timer-keys.ts`): overdue, its outcome, the `task-overdue` event. */
export function taskOverdue(records: StepRecords, key: string): void {
  const task = taskAt(records.context.tasks, key);
  if (task?.s !== 'open') return;
  const urgeNow = records.plan.lights?.urge?.from === 'overdue' && task.ua === undefined;
  const lit = urgeNow ? { ny: task.ny, xr: task.xr, xw: task.xw, xn: task.xn, ...urgingFrom(records, key, task) } : keptLight(task, 'overdue');
  records.setTask(key, taskRecord('overdue', task.due, undefined, task.at, task.by, lit));
  const { item: id, member } = parseTaskKey(key);
  const item = records.plan.items.get(id);
  if (item?.onOverdue) records.outcome(item.onOverdue, member, `overdue:${publicTaskKey(records.context.members, key)}`, { task: id });
  records.raise('task-overdue', member, { task: id });
}

/** A task's reminder is due (its `remind` timer, `timer-keys.ts`): reminded once, and only while it is open and not yet due. */
export function taskReminded(records: StepRecords, key: string): void {
  const task = taskAt(records.context.tasks, key);
  if (task?.s !== 'open' || task.rem === undefined) return;
  records.setTask(key, taskRecord(task.s, task.due, undefined, task.at, task.by, keptLight(task, 'same')));
  const { item: id, member } = parseTaskKey(key);
  const item = records.plan.items.get(id);
  const { members } = records.context;
  if (task.due !== undefined && records.at < task.due && item)
    records.emit(effectDraft('remind', `提醒：${item.title}`, `remind:${publicTaskKey(members, key)}`, undefined, memberIdOf(members, member)));
}
