import type { AnyActorScope, AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { createActor } from 'xstate';
import type { CampaignPlan } from '../compiler/campaign-plan.js';
import { ENDED } from '../compiler/compile-machine.js';
import { EngineError } from '../errors/engine-error.js';
import type { Effect } from '../ports/effects-sink.js';
import type { HistoryRecord, OutboxRecord, TimerRecord } from '../ports/store.js';
import type { MachineEvent } from './campaign-event.js';
import { desiredTimerKeys, desiredTimers, timerPatch } from './desired-timers.js';
import type { InstanceContext, InstanceInput } from './instance-context.js';
import { timeBackwards } from './instance-time.js';
import { lazyHistoryEntry, type StateText } from './lazy-history-entry.js';
import { lazyOutboxRecord } from './lazy-outbox-record.js';
import { publicTaskKey } from './record-keys.js';
import type { EffectDraft } from './step-records.js';
import { stepNotesOf } from './step-notes.js';
import { taskAt, tasksOf } from './task-table.js';
import { isClosed } from './wrap-up.js';

/** A campaign version as the step runs it: its plan and the statechart compiled from it. */
export interface Statechart {
  readonly plan: CampaignPlan;
  readonly machine: AnyStateMachine;
}

/** What the engine knows of a unit's place, copied from its stored record. */
export interface InstanceMeta {
  readonly id: string;
  readonly campaignId: string;
  readonly unitId: string;
  readonly unitPath: string;
}

/**
 * 单位状态 — one unit's instance between two steps: its statechart snapshot (state value and
 * records), its revision, its time (the latest `at` applied: no event is applied at an earlier one)
 * and the counts stored beside it for roll-ups.
 */
export interface UnitState {
  readonly meta: InstanceMeta;
  readonly snapshot: AnyMachineSnapshot;
  readonly revision: number;
  readonly time: number;
  readonly phase: string;
  readonly ended: boolean;
  readonly overdue: number;
  readonly escalated: number;
}

/** Where an event came from and who sent it, as its history entry records them. */
export interface StepOrigin {
  readonly at: number;
  readonly actor: string | null;
  readonly cause: string;
  readonly idempotencyKey: string | null;
  /** Turns the state value into its history text; default `JSON.stringify` (a cache entry reuses equal texts). */
  readonly texts?: StateText;
}

/** What one step changed, as the step itself noted it (never guessed afterwards). */
export interface StepChanges {
  /** Record keys of the tasks the step wrote (a key listed may hold an equal record). */
  readonly tasks: ReadonlySet<string>;
  /** Public keys of the tasks the step opened (were not open or overdue before). */
  readonly opened: readonly string[];
}

/** One step: the state after, what changed, the effects for the outbox, the timers to put and remove, the history entry. */
export interface StepResult {
  readonly state: UnitState;
  readonly changes: StepChanges;
  readonly effects: readonly OutboxRecord[];
  /** The timers the state after needs, as a difference from those the state before needed. */
  readonly timers: { readonly put: readonly TimerRecord[]; readonly remove: readonly string[] };
  readonly history: HistoryRecord;
}

/**
 * 推进一步 — applies one event to a unit's state: the statechart's transition (XState's pure
 * `machine.transition`, which runs the record rules as its actions) and everything the store must
 * then write. No I/O, no clock, no change to its inputs: the same state and event give the same
 * result, which is what replay and the simulator rely on. Throws ENGINE_TIME_BACKWARDS for an
 * event dated before the unit's time and ENGINE_STEP_FAILED when a rule fails.
 */
export function step(chart: Statechart, state: UnitState, event: MachineEvent, origin: StepOrigin): StepResult {
  const { plan } = chart;
  const { meta } = state;
  const instanceId = meta.id;
  const { at } = origin;
  if (!(at >= state.time)) throw timeBackwards(instanceId, state.time, at, plan.calendar);
  const { snapshot: next, keys, drafts } = transition(chart, state.snapshot, event, instanceId);
  const before = state.snapshot.context as InstanceContext;
  const after = next.context as InstanceContext;
  const revision = state.revision + 1;
  const phase = phaseOf(next.value);
  // Ended once its phases are over and no work due after them keeps it in its wrap-up (收尾).
  const ended = isClosed(phase === ENDED, after);
  const beforePhase = state.ended ? undefined : state.phase;

  let overdue = state.overdue;
  let opened: string[] | undefined;
  for (const key of keys) {
    const was = taskAt(before.tasks, key)?.s;
    const is = taskAt(after.tasks, key)?.s;
    overdue += (is === 'overdue' ? 1 : 0) - (was === 'overdue' ? 1 : 0);
    if ((is === 'open' || is === 'overdue') && was !== 'open' && was !== 'overdue') (opened ??= []).push(publicTaskKey(after.members, key));
  }
  const escalated = before.ladders === after.ladders ? state.escalated : countEscalated(after);
  const nextState: UnitState = { meta, snapshot: next, revision, time: at, phase, ended, overdue, escalated };
  return {
    state: nextState,
    changes: { tasks: keys, opened: opened ?? NO_KEYS },
    effects: drafts.length === 0 ? NO_OUTBOX : drafts.map((d, i) => outboxRecord(meta, revision, i, d, at)),
    timers: timersOf(plan, instanceId, { context: before, phase: beforePhase }, { context: after, phase: ended ? undefined : phase }, keys),
    history: lazyHistoryEntry(
      { instanceId, revision, type: event.type, actor: origin.actor, cause: origin.cause, at, idempotencyKey: origin.idempotencyKey },
      event,
      origin.texts ?? JSON_TEXT,
      next.value,
    ),
  };
}

/**
 * A unit's state when its campaign starts: the machine's initial snapshot for `input` (entering the
 * first phase opens its work). Throws ENGINE_STEP_FAILED when a rule fails.
 */
export function initialState(chart: Statechart, meta: InstanceMeta, input: InstanceInput): UnitState {
  const notes = stepNotesOf(chart.plan);
  notes.open();
  let snapshot: AnyMachineSnapshot;
  try {
    snapshot = chart.machine.getInitialSnapshot(scopeOf(chart.machine), input) as AnyMachineSnapshot;
  } catch (error) {
    throw stepFailed(meta.id, 'start', error);
  } finally {
    notes.close();
  }
  if (snapshot.status === 'error') throw stepFailed(meta.id, 'start', snapshot.error);
  const phase = phaseOf(snapshot.value);
  const context = snapshot.context as InstanceContext;
  return { meta, snapshot, revision: 1, time: input.startedAt, phase, ended: isClosed(phase === ENDED, context), overdue: countOverdue(context), escalated: countEscalated(context) };
}

/**
 * A unit's state from a decoded stored snapshot (its value and records) and the fields stored
 * beside it. The counts are taken as stored; the time is the store's instance time.
 */
export function restoredState(
  chart: Statechart,
  meta: InstanceMeta,
  stored: { readonly value: unknown; readonly context: InstanceContext },
  fields: { readonly revision: number; readonly time: number; readonly overdue: number; readonly escalated: number },
): UnitState {
  let snapshot: AnyMachineSnapshot;
  try {
    snapshot = chart.machine.resolveState({ value: stored.value as never, context: stored.context }) as AnyMachineSnapshot;
  } catch (error) {
    throw stepFailed(meta.id, 'restore', error);
  }
  const phase = phaseOf(snapshot.value);
  return { meta, snapshot, revision: fields.revision, time: fields.time, phase, ended: isClosed(phase === ENDED, stored.context), overdue: fields.overdue, escalated: fields.escalated };
}

/** The timers a unit's state needs, all of them (for a store that does not know which it holds). */
export function timersOfState(plan: CampaignPlan, state: UnitState): TimerRecord[] {
  return desiredTimers(plan, state.meta.id, state.snapshot.context as InstanceContext, state.ended ? undefined : state.phase);
}

/** The phase of a state value: its top-level state, or `ENDED` once the machine has none. */
export function phaseOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return Object.keys(value)[0] ?? ENDED;
  return ENDED;
}

/** The error of a unit whose rules failed while applying an event (or starting, or restoring). */
export function stepFailed(instanceId: string, type: string, error: unknown): EngineError {
  return new EngineError('ENGINE_STEP_FAILED', { id: instanceId, type, detail: error instanceof Error ? error.message : String(error) }, { cause: error });
}

/** The statechart's transition with the step's notes open around it: the snapshot after, the task keys written, the effects raised. */
function transition(chart: Statechart, snapshot: AnyMachineSnapshot, event: MachineEvent, instanceId: string) {
  const notes = stepNotesOf(chart.plan);
  notes.open();
  let next: AnyMachineSnapshot;
  try {
    next = chart.machine.transition(snapshot, event, scopeOf(chart.machine)) as AnyMachineSnapshot;
  } catch (error) {
    notes.close();
    throw stepFailed(instanceId, event.type, error);
  }
  const { keys, effects } = notes.close();
  if (next.status === 'error') throw stepFailed(instanceId, event.type, next.error);
  return { snapshot: next, keys, drafts: effects };
}

/**
 * The actor scope `machine.transition` runs in, one per machine: inert (nothing is deferred,
 * emitted or executed: the machine has no actions but its own assignments) and made as XState's own
 * `transition` makes one, but once, not on every call: XState's makes an actor each time, and an
 * actor computes its initial snapshot when made, which for a campaign opens the first phase.
 */
const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();

function scopeOf(machine: AnyStateMachine): AnyActorScope {
  let scope = scopes.get(machine);
  if (scope === undefined) {
    // Made without input: its initial snapshot fails, which only marks this actor, never started, as failed.
    const self = createActor(machine);
    scope = { self, id: '', sessionId: '', logger: noop, defer: noop, emit: noop, system: self.system, stopChild: noop, actionExecutor: noop };
    scopes.set(machine, scope);
  }
  return scope;
}

function noop(): void {}

/** The timers to put and remove for a step: patched for the tasks it wrote, or compared whole when the phase ends. */
function timersOf(plan: CampaignPlan, instanceId: string, before: TimerState, after: TimerState, keys: ReadonlySet<string>): StepResult['timers'] {
  const bc = before.context;
  const ac = after.context;
  const others =
    before.phase !== after.phase || bc.recur !== ac.recur || bc.insp !== ac.insp || bc.flagPeriod !== ac.flagPeriod || bc.opensAt !== ac.opensAt || bc.closesAt !== ac.closesAt || bc.tracked !== ac.tracked || bc.cardedTo !== ac.cardedTo;
  if (keys.size === 0 && !others) return NO_TIMER_CHANGE;
  if (after.phase === undefined) {
    // Ended: every timer the state before needed goes, none comes.
    const remove = desiredTimerKeys(plan, instanceId, bc, before.phase);
    return remove.length === 0 ? NO_TIMER_CHANGE : { put: NO_TIMERS, remove };
  }
  const patch = timerPatch(plan, instanceId, before, after, keys, others);
  return patch.put.length === 0 && patch.remove.length === 0 ? NO_TIMER_CHANGE : patch;
}

interface TimerState {
  readonly context: InstanceContext;
  readonly phase: string | undefined;
}

/** An effect as the outbox holds it, field by field (see `lazyHistoryEntry` on layouts). */
function outboxRecord(meta: InstanceMeta, revision: number, i: number, d: EffectDraft, at: number): OutboxRecord {
  const effect: { -readonly [K in keyof Effect]: Effect[K] } = {
    id: `${meta.id}:${revision}:${i}`,
    campaignId: meta.campaignId,
    instanceId: meta.id,
    unitId: meta.unitId,
  } as Effect;
  if (d.member !== undefined) effect.memberId = d.member;
  if (d.action !== undefined) effect.action = d.action;
  if (d.by !== undefined) effect.by = d.by;
  effect.effect = d.effect;
  effect.title = d.title;
  effect.cause = d.cause;
  effect.at = at;
  return lazyOutboxRecord(effect, at);
}

function countOverdue(context: InstanceContext): number {
  let n = 0;
  for (const t of tasksOf(context.tasks)) if (t.s === 'overdue') n++;
  return n;
}

function countEscalated(context: InstanceContext): number {
  let n = 0;
  for (const counters of Object.values(context.ladders)) for (const c of counters) if (c && c.n > 0) n++;
  return n;
}

const JSON_TEXT: StateText = { stateText: (value) => JSON.stringify(value) };
const NO_OUTBOX: readonly OutboxRecord[] = Object.freeze([]);
const NO_KEYS: readonly string[] = Object.freeze([]);
const NO_TIMERS: readonly TimerRecord[] = Object.freeze([]);
const NO_TIMER_CHANGE: StepResult['timers'] = Object.freeze({ put: NO_TIMERS, remove: Object.freeze([]) });
