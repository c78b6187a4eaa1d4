import type { EventKind } from '@luoshi/dsl';
import type { CampaignPlan, ItemPlan, OutcomePlan } from '../compiler/campaign-plan.js';
import type { MachineEvent } from './campaign-event.js';
import type { InspectionRecord, InstanceContext, LadderCounter, TaskRecord, TaskStatus } from './instance-context.js';
import {
  inspectionKey,
  memberIdOf,
  memberOfSubject,
  memberRef,
  memberRefs,
  parseTaskKey,
  publicTaskKey,
  subjectSlot,
  taskKey,
  withKey,
  withSlot,
} from './record-keys.js';
import { noteTaskMapCopy } from './task-changes.js';
import { forEachTask, localTaskKey, taskAt, taskFor, taskIn, TaskTableCopy } from './task-table.js';
import { addScore } from './score-sums.js';
import { ownValue } from './own-keys.js';
import { conditionHolds } from './conditions.js';
import { effectDraft, type EffectDraft, type RecordStep, type StepRecords } from './step-records.js';

export { inspectionKey, parseTaskKey, taskKey } from './record-keys.js';
export type { EffectDraft, RecordStep } from './step-records.js';

/**
 * A timer that fired this long after its time counts as missed for recurrences: a polling host is
 * never that late unless it was down.
 */
export const LATE_GRACE_MS = 60 * 60 * 1000;

/** Whether an instance carries an item at all. */
export function holdsItem(item: ItemPlan, context: InstanceContext): boolean {
  return item.holder === 'office' ? context.office : context.unitWork;
}

/** Whether every subject of this instance has finished an item (recurring: every occurrence so far and to come). */
export function itemDone(plan: CampaignPlan, context: InstanceContext, id: string): boolean {
  const item = plan.items.get(id);
  if (!item || !holdsItem(item, context)) return true;
  // Subject slots: the unit's alone, or every member's (slot r + 1 for reference r).
  const first = item.perMember ? 1 : 0;
  const last = item.perMember ? context.members.length : 0;
  const { tasks } = context;
  if (item.recurrence) {
    const next = ownValue(context.recur, id) ?? 0;
    if (next < item.recurrence.starts.length) return false;
    for (let n = 0; n < next; n++) {
      const local = localTaskKey(id, n);
      for (let slot = first; slot <= last; slot++) {
        const t = taskIn(tasks, slot, local);
        if (t && t.s !== 'done' && t.s !== 'late') return false;
      }
    }
    return true;
  }
  for (let slot = first; slot <= last; slot++) {
    const t = taskIn(tasks, slot, id);
    if (!t || (t.s !== 'done' && t.s !== 'late')) return false;
  }
  return true;
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

/**
 * For the last task map asked about, the items found done or not for the recurrence counters they
 * were judged with. The statechart's guards ask after every step, each work region for its items,
 * each over every member; a map they see is one a step has returned, and such a map never changes
 * again. Only the last one: answers kept with every unit's map until its next event outlived two
 * scavenges and filled the old generation of a large simulation, for little use (an event that
 * changes no task is answered again).
 */
interface DoneKnown {
  readonly tasks: InstanceContext['tasks'];
  readonly recur: InstanceContext['recur'];
  readonly done: Map<string, boolean>;
}

let lastDone: DoneKnown | undefined;

/**
 * Whether all required items of a list are done, for the statechart's guards: only on a context a
 * step has returned (the RecordKeeper writes its own copy of the task map while it runs).
 */
export function requiredDone(plan: CampaignPlan, context: InstanceContext, ids: readonly string[]): boolean {
  let known = lastDone;
  if (known === undefined || known.tasks !== context.tasks || known.recur !== context.recur) {
    known = { tasks: context.tasks, recur: context.recur, done: new Map() };
    lastDone = known;
  }
  for (const id of ids) {
    if (!plan.items.get(id)?.required) continue;
    let done = known.done.get(id);
    if (done === undefined) known.done.set(id, (done = itemDone(plan, context, id)));
    if (!done) return false;
  }
  return true;
}

/**
 * The pure bookkeeping of an instance: given the records and an event, the next records, the
 * effects to hand to the host and the items that became done. It never reads a clock or the
 * store, so replaying the history reproduces it exactly.
 */
export class RecordKeeper implements StepRecords {
  readonly plan: CampaignPlan;
  context: InstanceContext;
  at = 0;
  event: MachineEvent | undefined;
  readonly #effects: EffectDraft[] = [];
  readonly #touched = new Set<string>();
  readonly #doneBefore = new Map<string, boolean>();
  /** The context this keeper copied in this step (see `patch`). */
  #ownCtx: InstanceContext | undefined;
  /** The task map this keeper copied in this step (see `setTask`), and the keys it wrote in it. */
  #ownTasks: TaskTableCopy | undefined;
  #ownKeys: Set<string> | undefined;

  constructor(plan: CampaignPlan, context: InstanceContext) {
    this.plan = plan;
    this.context = context;
  }

  /** Opens the work of a phase the instance has just entered. */
  enterPhase(phaseId: string, at: number): RecordStep {
    this.at = at;
    const phase = this.plan.phaseById.get(phaseId);
    if (!phase) return this.#result();
    this.patch({ entered: withKey(this.context.entered, phaseId, at) });
    for (const id of phase.itemIds) {
      const item = this.plan.items.get(id);
      if (!item || !holdsItem(item, this.context)) continue;
      if (item.recurrence) {
        this.patch({ recur: withKey(this.context.recur, id, 0) });
        continue;
      }
      for (const member of item.perMember ? memberRefs(this.context.members) : [undefined]) this.#openTask(item, member, undefined);
    }
    return this.#result();
  }

  /** Applies one event. */
  apply(event: MachineEvent): RecordStep {
    this.at = event.at;
    this.event = event;
    // Records name members by reference (see record-keys.ts); events name them by id.
    const named = 'member' in event ? event.member : undefined;
    const member = memberRef(this.context.members, named);
    if (named !== undefined && member === undefined) return this.#result();
    switch (event.type) {
      case 'task.completed':
      case 'report.submitted':
        this.#complete(event.task, member);
        break;
      case 'score.given':
        this.#score(event.evaluation, event.score, member);
        break;
      case 'finding.recorded':
        this.#finding(event.inspection, member);
        break;
      case 'rectification.done': {
        const key = inspectionKey(event.inspection, member);
        const rec = ownValue(this.context.insp, key);
        const plan = this.plan.inspections.get(event.inspection);
        if (rec && plan && rec.s === 'rectifying')
          this.#setInspection(key, plan.reinspect ? { ...rec, s: 'reinspecting' } : { ...rec, s: 'clear', round: 0 });
        break;
      }
      case 'reinspection.recorded': {
        const key = inspectionKey(event.inspection, member);
        const rec = ownValue(this.context.insp, key);
        if (rec?.s !== 'reinspecting') break;
        if (event.passed) this.#setInspection(key, { s: 'clear', round: 0, findings: rec.findings });
        else this.#failRound(event.inspection, member);
        break;
      }
      case 'complaint.verified':
        this.raise('complaint-verified', member);
        break;
      case 'notified':
        this.raise('notified', member);
        break;
      case 'decision.taken':
        this.patch({ decisions: withKey(this.context.decisions, event.decision, event.option) });
        this.raise('decision-taken', undefined);
        break;
      case 'timer.fired':
        this.#timer(event.key, event.dueAt);
        break;
      case 'ranking.placed': {
        const ranking = this.plan.rankings.find((r) => r.id === event.ranking);
        if (!ranking) break;
        // Places name members by id (`m:<id>`); the records by reference.
        const placed = event.places.flatMap((place) => {
          const id = memberOfSubject(place.subject);
          const ref = memberRef(this.context.members, id);
          return id !== undefined && ref === undefined ? [] : [{ ...place, member: ref }];
        });
        let ranks = ownValue(this.context.ranks, ranking.id);
        for (const place of placed) ranks = withSlot(ranks, place.member, place.rank);
        if (ranks !== undefined) this.patch({ ranks: withKey(this.context.ranks, ranking.id, ranks) });
        for (const place of placed) {
          const band = place.band === 'top' ? ranking.top : place.band === 'bottom' ? ranking.bottom : undefined;
          if (!band) continue;
          if (!conditionHolds(this, band.when, place.member, place.rank)) continue;
          this.outcome({ actions: band.actions, flags: band.flags }, place.member, `ranking:${ranking.id}:${place.band}`);
        }
        break;
      }
    }
    return this.#result();
  }

  #result(): RecordStep {
    const completed = [...this.#touched].filter(
      (id) => !this.#doneBefore.get(id) && itemDone(this.plan, this.context, id),
    );
    return { context: this.context, effects: this.#effects, completed };
  }

  patch(change: Partial<InstanceContext>): void {
    // One copy of the context per step, written in place afterwards (nobody sees it before the step
    // returns); a copy, then assignments to fields it has, keeps the context's shared layout.
    if (this.#ownCtx !== this.context) this.context = this.#ownCtx = { ...this.context };
    Object.assign(this.#ownCtx, change);
  }

  touch(item: string): void {
    if (!this.#touched.has(item)) {
      this.#doneBefore.set(item, itemDone(this.plan, this.context, item));
      this.#touched.add(item);
    }
  }

  setTask(key: string, record: TaskRecord): void {
    this.touch(parseTaskKey(key).item);
    // One copy of the task table per step (and of each subject's map it writes), written in place
    // afterwards: a phase opening or a ranking writes many tasks at once. The copy is this keeper's
    // own until the step returns, so nobody sees it change. It notes which keys changed, so the
    // engine patches timers and counts instead of deriving them again.
    if (this.#ownTasks?.table !== this.context.tasks || this.#ownKeys === undefined) {
      const base = this.context.tasks;
      this.#ownTasks = new TaskTableCopy(base);
      this.#ownKeys = noteTaskMapCopy(this.#ownTasks.table, base);
      this.patch({ tasks: this.#ownTasks.table });
    }
    this.#ownTasks.set(key, record);
    this.#ownKeys.add(key);
  }

  emit(effect: EffectDraft): void {
    this.#effects.push(effect);
  }

  #setInspection(key: string, record: InspectionRecord): void {
    this.patch({ insp: withKey(this.context.insp, key, record) });
  }

  #openTask(item: ItemPlan, member: string | undefined, occurrence: number | undefined, due?: number): void {
    const key = taskKey(item.id, member, occurrence);
    const at = due ?? this.#dueOf(item, member);
    if (at === undefined) {
      this.setTask(key, taskRecord('waiting'));
      return;
    }
    const remind = item.remindBefore ? this.plan.calendar.subtractDuration(at, item.remindBefore) : undefined;
    this.setTask(key, taskRecord('open', at, remind !== undefined && remind > this.at ? remind : undefined));
  }

  /** The due time of an item for a subject, or undefined while its anchor has not happened. */
  #dueOf(item: ItemPlan, member: string | undefined): number | undefined {
    if (item.dueAt !== undefined) return item.dueAt;
    const due = item.due;
    if (!due || due.kind !== 'after') return item.stageEnd;
    const entered = ownValue(this.context.entered, due.anchor);
    if (entered !== undefined) return this.plan.calendar.addDuration(entered, due.duration);
    const anchor = this.plan.items.get(due.anchor);
    if (!anchor) return item.stageEnd;
    // An anchor done in other instances (the office reviews what units wrote) is counted from its own deadline.
    if (!holdsItem(anchor, this.context)) return this.plan.calendar.addDuration((anchor.dueAt ?? item.stageEnd) - 1, due.duration);
    const done = taskFor(this.context.tasks, anchor.id, anchor.perMember ? member : undefined) ?? taskFor(this.context.tasks, anchor.id);
    if (done?.at !== undefined && (done.s === 'done' || done.s === 'late'))
      return this.plan.calendar.addDuration(done.at, due.duration);
    return undefined;
  }

  #complete(itemId: string, member: string | undefined): void {
    const item = this.plan.items.get(itemId);
    if (!item) return;
    let key = taskKey(itemId, member);
    if (item.recurrence) {
      const next = ownValue(this.context.recur, itemId) ?? 0;
      for (let n = 0; n < next; n++) {
        const k = taskKey(itemId, member, n);
        const t = taskAt(this.context.tasks, k);
        if (t && (t.s === 'open' || t.s === 'overdue')) {
          key = k;
          break;
        }
      }
    }
    const task = taskAt(this.context.tasks, key);
    if (!task || (task.s !== 'open' && task.s !== 'overdue')) return;
    const late = task.s === 'overdue' || (task.due !== undefined && this.at >= task.due);
    this.setTask(key, taskRecord(late ? 'late' : 'done', task.due, undefined, this.at, this.event?.actor));
    // Tasks counted from this one ("创建标准后5个工作日内") start their clock now.
    if (!hasDependents(this.plan, itemId)) return;
    const waitingKeys: string[] = [];
    forEachTask(this.context.tasks, (k, t) => {
      if (t.s === 'waiting') waitingKeys.push(k);
    });
    for (const k of waitingKeys) {
      const w = parseTaskKey(k);
      const waiting = this.plan.items.get(w.item);
      if (waiting?.due?.kind !== 'after' || waiting.due.anchor !== itemId) continue;
      if (w.member !== undefined && item.perMember && w.member !== member) continue;
      const due = this.#dueOf(waiting, w.member);
      if (due !== undefined) this.#openTask(waiting, w.member, undefined, due);
    }
  }

  #score(evaluation: string, score: number, member: string | undefined): void {
    this.patch({ scores: withKey(this.context.scores, evaluation, addScore(ownValue(this.context.scores, evaluation), member, score)) });
    const task = taskFor(this.context.tasks, evaluation, member);
    if (task && (task.s === 'open' || task.s === 'overdue')) this.#complete(evaluation, member);
    this.raise('score-given', member);
  }

  #finding(inspectionId: string, member: string | undefined): void {
    const plan = this.plan.inspections.get(inspectionId);
    if (!plan) return;
    const key = inspectionKey(inspectionId, member);
    const rec = ownValue(this.context.insp, key) ?? { s: 'clear', round: 0, findings: 0 };
    if (rec.s === 'clear')
      this.#setInspection(key, {
        s: 'rectifying',
        round: 1,
        findings: rec.findings + 1,
        due: this.plan.calendar.addDuration(this.at, plan.rectifyWithin),
      });
    else this.#setInspection(key, { ...rec, findings: rec.findings + 1 });
    if (plan.onFinding) this.outcome(plan.onFinding, member, `finding:${inspectionId}`);
    this.raise('finding-recorded', member);
  }

  /** A failed re-inspection, or a rectification deadline passed: the next round, or exhausted. */
  #failRound(inspectionId: string, member: string | undefined): void {
    const plan = this.plan.inspections.get(inspectionId);
    const key = inspectionKey(inspectionId, member);
    const rec = ownValue(this.context.insp, key);
    if (!plan || !rec) return;
    if (plan.onFailed) this.outcome(plan.onFailed, member, `reinspection:${inspectionId}:${rec.round}`);
    this.raise('reinspection-failed', member);
    if (rec.round >= plan.maxRounds) {
      const { due: _due, ...rest } = rec;
      this.#setInspection(key, { ...rest, s: 'exhausted' });
      if (plan.onExhausted) this.outcome(plan.onExhausted, member, `exhausted:${inspectionId}`);
    } else {
      this.#setInspection(key, {
        ...rec,
        s: 'rectifying',
        round: rec.round + 1,
        due: this.plan.calendar.addDuration(this.at, plan.rectifyWithin),
      });
    }
  }

  #timer(key: string, dueAt: number): void {
    const colon = key.indexOf(':');
    const kind = key.slice(0, colon);
    const rest = key.slice(colon + 1);
    switch (kind) {
      case 'due': {
        const task = taskAt(this.context.tasks, rest);
        if (task?.s !== 'open') return;
        this.setTask(rest, taskRecord('overdue', task.due, undefined, task.at, task.by));
        const { item: id, member } = parseTaskKey(rest);
        const item = this.plan.items.get(id);
        if (item?.onOverdue) this.outcome(item.onOverdue, member, `overdue:${publicTaskKey(this.context.members, rest)}`, { task: id });
        this.raise('task-overdue', member, { task: id });
        return;
      }
      case 'remind': {
        const task = taskAt(this.context.tasks, rest);
        if (task?.s !== 'open' || task.rem === undefined) return;
        this.setTask(rest, taskRecord(task.s, task.due, undefined, task.at, task.by));
        const { item: id, member } = parseTaskKey(rest);
        const item = this.plan.items.get(id);
        if (task.due !== undefined && this.at < task.due && item)
          this.emit(
            effectDraft('remind', `提醒：${item.title}`, `remind:${publicTaskKey(this.context.members, rest)}`, undefined, memberIdOf(this.context.members, member)),
          );
        return;
      }
      case 'recur': {
        const item = this.plan.items.get(rest);
        const rec = item?.recurrence;
        if (!item || !rec) return;
        let next = ownValue(this.context.recur, rest) ?? 0;
        let latest = next;
        while (latest + 1 < rec.starts.length && (rec.starts[latest + 1] as number) <= this.at) latest++;
        const late = latest > next || this.at - dueAt > LATE_GRACE_MS;
        const create = !late || rec.missed === 'fire-once-late' || this.at - (rec.starts[latest] as number) <= LATE_GRACE_MS;
        next = latest + 1;
        this.patch({ recur: withKey(this.context.recur, rest, next) });
        this.touch(rest);
        if (create)
          for (const member of item.perMember ? memberRefs(this.context.members) : [undefined])
            this.#openTask(item, member, latest, rec.dues[latest]);
        return;
      }
      case 'rectify': {
        const at = rest.indexOf('@');
        const inspection = at < 0 ? rest : rest.slice(0, at);
        const member = at < 0 ? undefined : rest.slice(at + 1);
        if (ownValue(this.context.insp, rest)?.s === 'rectifying') this.#failRound(inspection, member);
        return;
      }
      default:
        return;
    }
  }

  /** Ladders and consequences listening to an event kind. */
  raise(kind: EventKind, member: string | undefined, extra: Record<string, string> = {}): void {
    for (const ladder of this.plan.ladders.values()) {
      if (ladder.on?.event !== kind) continue;
      if (ladder.subject === 'member' && member === undefined) continue;
      const subject = ladder.subject === 'member' ? member : undefined;
      if (!conditionHolds(this, ladder.on.when, subject, undefined, extra)) continue;
      this.count(ladder.id, subject);
    }
    for (const q of this.plan.consequences) {
      if (q.on.event !== kind) continue;
      if (q.subject === 'member' && member === undefined) continue;
      const subject = q.subject === 'unit' ? undefined : member;
      if (!conditionHolds(this, q.on.when, subject, undefined, extra)) continue;
      this.outcome({ actions: q.actions, flags: q.flags }, subject, `consequence:${q.id}`);
    }
  }

  count(ladderId: string, member: string | undefined): void {
    const ladder = this.plan.ladders.get(ladderId);
    if (!ladder) return;
    const period = ladder.period === 'year' ? String(this.plan.calendar.yearOf(this.at)) : 'campaign';
    const counters = ownValue(this.context.ladders, ladderId);
    const previous = counters?.[subjectSlot(member)];
    const n = (previous && previous.p === period ? previous.n : 0) + 1;
    this.patch({ ladders: withKey(this.context.ladders, ladderId, withSlot<LadderCounter>(counters, member, { n, p: period })) });
    // Beyond the last rung the last rung applies again: the directive names no harsher step.
    const rung = ladder.rungs.find((r) => r.level === n) ?? (n > (ladder.rungs.at(-1)?.level ?? 0) ? ladder.rungs.at(-1) : undefined);
    if (rung) this.outcome({ actions: rung.actions ?? [], flags: rung.flags ?? [] }, member, `ladder:${ladderId}:${n}`);
  }

  outcome(outcome: OutcomePlan, member: string | undefined, cause: string, extra: Record<string, string> = {}): void {
    if (!conditionHolds(this, outcome.when, member, undefined, extra)) return;
    if (outcome.flags.length > 0) {
      const current = this.context.flags[subjectSlot(member)] ?? [];
      const added = outcome.flags.filter((f) => !current.includes(f));
      if (added.length > 0) this.patch({ flags: withSlot(this.context.flags, member, [...current, ...added]) });
    }
    for (const id of outcome.actions) {
      const action = this.plan.actions.get(id);
      this.emit(effectDraft(action?.effect ?? 'notify', action?.title ?? id, cause, id, memberIdOf(this.context.members, member)));
    }
    if (outcome.ladder) this.count(outcome.ladder, this.plan.ladders.get(outcome.ladder)?.subject === 'unit' ? undefined : member);
  }

}


/** A task record with its fields always in one order (one shared layout per set of fields). */
function taskRecord(s: TaskStatus, due?: number, rem?: number, at?: number, by?: string): TaskRecord {
  const record: { s: TaskStatus; due?: number; rem?: number; at?: number; by?: string } = { s };
  if (due !== undefined) record.due = due;
  if (rem !== undefined) record.rem = rem;
  if (at !== undefined) record.at = at;
  if (by !== undefined) record.by = by;
  return record;
}
