import type { EventKind } from '@luoshi/dsl';
import type { CampaignPlan, OutcomePlan } from '../compiler/campaign-plan.js';
import type { MachineEvent } from './campaign-event.js';
import type { InstanceContext, LadderCounter, TaskRecord } from './instance-context.js';
import {
  memberIdOf,
  memberOfSubject,
  memberRef,
  parseTaskKey,
  subjectSlot,
  withKey,
  withSlot,
} from './record-keys.js';
import { noteTaskMapCopy } from './task-changes.js';
import { TaskTableCopy } from './task-table.js';
import { ownValue } from './own-keys.js';
import { conditionHolds } from './conditions.js';
import { effectDraft, type EffectDraft, type RecordStep, type StepRecords } from './step-records.js';
import { enterPhase, takeDecision } from './phases.js';
import { occurrenceStarts } from './recurrences.js';
import { completeTask, itemDone, taskOverdue, taskReminded } from './tasks.js';
import { giveScore } from './evaluations.js';
import { recordFinding, rectificationDone, rectificationOverdue, reinspectionRecorded } from './inspections.js';

export { inspectionKey, parseTaskKey, taskKey } from './record-keys.js';
export type { EffectDraft, RecordStep } from './step-records.js';
export { holdsItem, itemDone, requiredDone } from './tasks.js';

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
    enterPhase(this, phaseId);
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
        completeTask(this, event.task, member);
        break;
      case 'score.given':
        giveScore(this, event.evaluation, event.score, member);
        break;
      case 'finding.recorded':
        recordFinding(this, event.inspection, member);
        break;
      case 'rectification.done':
        rectificationDone(this, event.inspection, member);
        break;
      case 'reinspection.recorded':
        reinspectionRecorded(this, event.inspection, member, event.passed);
        break;
      case 'complaint.verified':
        this.raise('complaint-verified', member);
        break;
      case 'notified':
        this.raise('notified', member);
        break;
      case 'decision.taken':
        takeDecision(this, event.decision, event.option);
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

  #timer(key: string, dueAt: number): void {
    const colon = key.indexOf(':');
    const kind = key.slice(0, colon);
    const rest = key.slice(colon + 1);
    switch (kind) {
      case 'due':
        taskOverdue(this, rest);
        return;
      case 'remind':
        taskReminded(this, rest);
        return;
      case 'recur':
        occurrenceStarts(this, rest, dueAt);
        return;
      case 'rectify':
        rectificationOverdue(this, rest);
        return;
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
