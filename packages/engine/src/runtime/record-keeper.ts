import type { EventKind } from '@luoshi/dsl';
import type { CampaignPlan, OutcomePlan } from '../compiler/campaign-plan.js';
import type { MachineEvent } from './campaign-event.js';
import { applyOutcome, hearConsequences, lapseFlags } from './consequences.js';
import { recordFinding, rectificationDone, rectificationOverdue, reinspectionRecorded } from './inspections.js';
import type { InstanceContext, TaskRecord } from './instance-context.js';
import { giveScore } from './evaluations.js';
import { gradeAtDate } from './grading.js';
import { turnYellow } from './lights.js';
import { taskUrged } from './urging.js';
import { countLadder, hearLadders } from './ladders.js';
import { enterPhase, phaseOpens, takeDecision } from './phases.js';
import { leaveCampaign, placeRanking } from './ranking.js';
import { advanceParts } from './sequence-parts.js';
import { memberRef } from './record-keys.js';
import { occurrenceStarts } from './recurrences.js';
import type { EffectDraft, EventFacts, RecordStep, StepRecords } from './step-records.js';
import { stepNotesOf } from './step-notes.js';
import { TaskTableCopy } from './task-table.js';
import { anchorDoneElsewhere, completeTask, namedTaskKey, parentDone, taskOverdue, taskReminded } from './tasks.js';
import { parseTimerKey } from './timer-keys.js';
import { beginWrapUp, checkWrapUp } from './wrap-up.js';
import { closeCampaignHere } from './campaign-closing.js';
import { extensionDecided, extensionRequested } from './extensions.js';
import { itemAssessed, itemClosed, itemDueTimer, itemProgress, itemResolved, itemVerified, openItem } from './tracked-items.js';
import { giveMonthCards } from './monthly-cards.js';

// What the statechart (compile-machine.ts) and the engine import from here; the rules live in their modules.
export { inspectionKey, parseTaskKey, taskKey } from './record-keys.js';
export type { EffectDraft, RecordStep } from './step-records.js';
export { anchorDoneHere, holdsItem, itemDone } from './tasks.js';
export { RequiredDone } from './required-done.js';

/**
 * 记录 — the pure bookkeeping of an instance: given the records and an event (or a phase entered),
 * the next records and the effects to hand to the host. It never reads
 * a clock or the store, so replaying the history reproduces it exactly. The keeper routes an event
 * to the domain module whose rule it is (tasks, recurrences, evaluations, inspections, ladders,
 * consequences, rankings, phases) and holds the step's copy-on-write state those rules write through
 * (`StepRecords`).
 */
export class RecordKeeper implements StepRecords {
  readonly plan: CampaignPlan;
  context: InstanceContext;
  at = 0;
  event: MachineEvent | undefined;
  readonly #effects: EffectDraft[] = [];
  /** The context this keeper copied in this step (see `patch`). */
  #ownCtx: InstanceContext | undefined;
  /** The task table this keeper copied in this step (see `setTask`), and the keys it wrote in it. */
  #ownTasks: TaskTableCopy | undefined;
  #ownKeys: Set<string> | undefined;

  constructor(plan: CampaignPlan, context: InstanceContext) {
    this.plan = plan;
    this.context = context;
  }

  /** Opens the work of a phase the instance has just entered. */
  enterPhase(phaseId: string, at: number): RecordStep {
    this.at = at;
    lapseFlags(this);
    giveMonthCards(this);
    enterPhase(this, phaseId);
    advanceParts(this);
    return this.#result();
  }

  /**
   * The instance's phases are over (the statechart has entered `ended`) at `at`: work due after them
   * keeps it in its wrap-up (收尾) unless a decision or the office's closing (终止) ended it.
   */
  endPhases(at: number, event: MachineEvent | undefined): RecordStep {
    this.at = at;
    const byDecision = event?.type === 'decision.taken';
    if (byDecision) leaveCampaign(this, event.decision, event.option);
    // A decision and the office's closing (终止) both rule the open work over: no wrap-up.
    beginWrapUp(this, byDecision || event?.type === 'campaign.closed');
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
    // A new campaign period first: last period's flags are gone before this event's rules read them.
    lapseFlags(this);
    // Months whose turn has come next: their cards are given before this event (a report at the turn is the new month's).
    giveMonthCards(this);
    switch (event.type) {
      case 'task.completed':
      case 'report.submitted':
        completeTask(this, event.task, member, event.period);
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
      case 'extension.requested':
      case 'extension.decided': {
        const item = this.plan.items.get(event.task);
        const key = item && namedTaskKey(this, item, member, event.period);
        if (key === undefined) break;
        if (event.type === 'extension.decided') extensionDecided(this, key, event.approved);
        else {
          const until = this.plan.calendar.endOfDay(event.until);
          if (until !== undefined) extensionRequested(this, key, until, event.reason);
        }
        break;
      }
      case 'item.opened':
        openItem(this, event.item, event.kind, event.owner, event.due === undefined ? undefined : this.plan.calendar.endOfDay(event.due), event.target);
        break;
      case 'item.progress':
        itemProgress(this, event.item, event.done);
        break;
      case 'item.resolved':
        itemResolved(this, event.item);
        break;
      case 'item.verified':
        itemVerified(this, event.item, event.passed);
        break;
      case 'item.closed':
        itemClosed(this, event.item);
        break;
      case 'item.assessed':
        itemAssessed(this, event.item, event.light);
        break;
      case 'timer.fired':
        this.#timer(event.key, event.dueAt);
        break;
      case 'anchor.done':
        if (event.parent) parentDone(this, event.task, event.doneAt);
        else anchorDoneElsewhere(this, event.task, event.doneAt);
        break;
      case 'ranking.placed':
        placeRanking(this, event.ranking, event.places);
        break;
      case 'grading.due':
        gradeAtDate(this, event.grading, event.occurrence ?? 0);
        break;
      case 'campaign.closed':
        closeCampaignHere(this, event.reason);
        break;
    }
    // A part of a sub-process in sequence done by this event lets the next one open.
    advanceParts(this);
    // An instance in its wrap-up closes with its last open work done, or at the campaign's end.
    checkWrapUp(this);
    return this.#result();
  }

  /**
   * A timer of the records, by its kind (`phase` timers move the statechart, not the records; a
   * `ranking` timer reaches the instances as `ranking.placed`; a `lapse` timer's work, `lapseFlags`,
   * a `month-cards` timer's, `giveMonthCards`, and a `close` timer's, `checkWrapUp`, are done for every
   * event; a key that is none is ignored).
   */
  #timer(text: string, dueAt: number): void {
    const key = parseTimerKey(text);
    if (key === undefined) return;
    if (key.kind === 'due') taskOverdue(this, key.task);
    else if (key.kind === 'remind') taskReminded(this, key.task);
    else if (key.kind === 'recur') occurrenceStarts(this, key.item, dueAt);
    else if (key.kind === 'rectify') rectificationOverdue(this, key.inspection);
    else if (key.kind === 'opens') phaseOpens(this, key.phase);
    else if (key.kind === 'yellow') turnYellow(this, key.task);
    else if (key.kind === 'urge') taskUrged(this, key.task);
    else if (key.kind === 'item-yellow') itemDueTimer(this, key.item, 'yellow');
    else if (key.kind === 'item-due') itemDueTimer(this, key.item, 'due');
  }

  #result(): RecordStep {
    return { context: this.context, effects: this.#effects };
  }

  patch(change: Partial<InstanceContext>): void {
    // One copy of the context per step, written in place afterwards (nobody sees it before the step
    // returns); a copy, then assignments to fields it has, keeps the context's shared layout.
    if (this.#ownCtx !== this.context) this.context = this.#ownCtx = { ...this.context };
    Object.assign(this.#ownCtx, change);
  }

  setTask(key: string, record: TaskRecord): void {
    // One copy of the task table per step (and of each subject's map it writes), written in place
    // afterwards: a phase opening or a ranking writes many tasks at once. The copy is this keeper's
    // own until the step returns, so nobody sees it change. It notes which keys changed, so the
    // engine patches timers and counts instead of deriving them again.
    if (this.#ownTasks?.table !== this.context.tasks || this.#ownKeys === undefined) {
      this.#ownTasks = new TaskTableCopy(this.context.tasks);
      this.#ownKeys = stepNotesOf(this.plan).taskKeys();
      this.patch({ tasks: this.#ownTasks.table });
    }
    this.#ownTasks.set(key, record);
    this.#ownKeys.add(key);
  }

  emit(effect: EffectDraft): void {
    this.#effects.push(effect);
  }

  /** A domain event: heard by the ladders (ladders.ts), then by the consequences (consequences.ts) listening to it. */
  raise(kind: EventKind, member: string | undefined, extra: EventFacts = {}): void {
    hearLadders(this, kind, member, extra);
    hearConsequences(this, kind, member, extra);
  }

  outcome(outcome: OutcomePlan, member: string | undefined, cause: string, extra: EventFacts = {}): void {
    applyOutcome(this, outcome, member, cause, extra);
  }

  count(ladderId: string, member: string | undefined): void {
    countLadder(this, ladderId, member);
  }
}
