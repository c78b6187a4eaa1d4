import type { EventKind } from '@luoshi/dsl';
import type { CampaignPlan, OutcomePlan } from '../compiler/campaign-plan.js';
import type { MachineEvent } from './campaign-event.js';
import type { InstanceContext, TaskRecord } from './instance-context.js';

/** The facts the engine fills in for a domain event it raises (`event.task`, `event.yellows`), which conditions read. */
export type EventFacts = Readonly<Record<string, string | number>>;

/** An effect as the statechart emits it; the engine adds ids, instance and time. */
export interface EffectDraft {
  readonly type: 'effect';
  readonly effect: string;
  readonly title: string;
  readonly cause: string;
  readonly action?: string;
  /** The role that carries the action out (its `by`). */
  readonly by?: string;
  readonly member?: string;
}

/** What one step of record keeping did. */
export interface RecordStep {
  readonly context: InstanceContext;
  readonly effects: readonly EffectDraft[];
}

/**
 * 记录 — the records of one instance while one step (an event, or a phase entered) writes them, as
 * each domain module sees them: the rules live in their modules (tasks, recurrences, evaluations,
 * inspections, ladders, consequences, rankings, phases), the RecordKeeper is the one implementation
 * and hands a rule's follow-ups (a domain event heard by ladders and consequences, an outcome, a
 * ladder counted) to the module that owns them. Members are named by reference
 * (see `record-keys.ts`).
 */
export interface StepRecords {
  readonly plan: CampaignPlan;
  /** The records as this step has written them so far. */
  readonly context: InstanceContext;
  /** The step's time (the event's `at`, or when the phase was entered). */
  readonly at: number;
  /** The event being applied; undefined while a phase is entered. */
  readonly event: MachineEvent | undefined;
  /** Sets fields of the context (copied once per step, see `RecordKeeper`). */
  patch(change: Partial<InstanceContext>): void;
  /** Writes one task record under its whole key (see `taskKey`). */
  setTask(key: string, record: TaskRecord): void;
  /** Hands an effect to the host. */
  emit(effect: EffectDraft): void;
  /** A domain event (后果触发事件): the ladders and consequences listening to it hear it. */
  raise(kind: EventKind, member: string | undefined, extra?: EventFacts): void;
  /** Applies an outcome (flags, actions, a ladder) to a subject when its condition holds (see consequences.ts). */
  outcome(outcome: OutcomePlan, member: string | undefined, cause: string, extra?: EventFacts): void;
  /** Counts one occurrence on a ladder for a subject (see ladders.ts). */
  count(ladderId: string, member: string | undefined): void;
}

/** An effect draft, its optional fields set only when there (one layout per set of fields). */
export function effectDraft(
  effect: string,
  title: string,
  cause: string,
  action: string | undefined,
  member: string | undefined,
  by?: string,
): EffectDraft {
  const draft: { -readonly [K in keyof EffectDraft]: EffectDraft[K] } = { type: 'effect', effect, title, cause };
  if (action !== undefined) draft.action = action;
  if (by !== undefined) draft.by = by;
  if (member !== undefined) draft.member = member;
  return draft;
}
