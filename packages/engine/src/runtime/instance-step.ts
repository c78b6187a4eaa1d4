import type { CampaignPlan } from '../compiler/campaign-plan.js';
import { ENDED } from '../compiler/compile-machine.js';
import { EngineError } from '../errors/engine-error.js';
import type { Effect } from '../ports/effects-sink.js';
import type { HistoryRecord, InstanceRecord, OutboxRecord, StoreTransaction, SyncStoreTransaction, TimerRecord } from '../ports/store.js';
import type { MachineEvent } from './campaign-event.js';
import { desiredTimers, sameTimers, timerPatch } from './desired-timers.js';
import type { InstanceContext } from './instance-context.js';
import { timeBackwards } from './instance-time.js';
import { lazyHistoryEntry } from './lazy-history-entry.js';
import { lazyOutboxRecord } from './lazy-outbox-record.js';
import type { LiveInstance } from './live-instance.js';
import { publicTaskKey } from './record-keys.js';
import { changedTaskKeys } from './task-changes.js';
import { taskAt, tasksOf } from './task-table.js';
import type { EngineChange, SendResult } from './views.js';

const NO_OUTBOX: readonly OutboxRecord[] = Object.freeze([]);

/** What one applied event leaves for after the commit. */
export interface Applied<T = SendResult> {
  readonly result: T;
  readonly change?: EngineChange;
  readonly effects: number;
  /** Runs once the job's transaction has committed. */
  readonly after?: () => void;
}

/**
 * One event applied to a live instance, everything it writes made before anything is written: the
 * store's part (`writeStep`, or `writeStepNow` in a synchronous transaction) is then the same
 * whichever kind of transaction it goes into.
 */
export interface InstanceStep {
  /** The instance's timers made exactly these, or only these put and removed, or left alone. */
  readonly timers:
    | { readonly kind: 'replace'; readonly timers: readonly TimerRecord[]; readonly previous: readonly TimerRecord[] | undefined }
    | { readonly kind: 'patch'; readonly put: readonly TimerRecord[]; readonly remove: readonly string[] }
    | undefined;
  readonly record: InstanceRecord;
  /** The revision the store must still hold (the optimistic check). */
  readonly expected: number;
  readonly history: HistoryRecord;
  readonly outbox: readonly OutboxRecord[];
  readonly applied: Applied;
}

/** Where an event came from and who sent it, as its history entry records them. */
export interface StepOrigin {
  readonly at: number;
  readonly actor: string | null;
  readonly cause: string;
  readonly idempotencyKey: string | null;
}

/**
 * Sends `event` to the live instance and works out what the store must write: its record, its
 * timers (patched for the tasks the event changed when that is known), its history entry and its
 * effects. The live instance is advanced and its counts, revision and `timersKnown` updated at
 * once; a caller whose transaction then fails drops it. Throws ENGINE_STEP_FAILED when the actor fails.
 */
export function stepInstance(plan: CampaignPlan, live: LiveInstance, event: MachineEvent, origin: StepOrigin): InstanceStep {
  const instanceId = live.meta.id;
  const { at, actor, cause, idempotencyKey } = origin;
  // Every path dates its event with `eventTime`; this holds the rule for any that would not, before the actor moves.
  if (!(at >= live.time)) throw timeBackwards(instanceId, live.time, at);
  const before = live.context;
  const next = live.step(event);
  const drafts = live.effects;
  if (live.error) throw stepFailed(instanceId, event.type, live.error);
  const after = live.context;

  const expected = live.revision;
  const revision = expected + 1;
  const phase = phaseOf(next.value);
  const ended = phase === ENDED;
  // Records are copied on write, and the task map notes the keys each copy wrote: timers and counts
  // are patched for those keys; when that is not known, they are derived again from the whole state.
  const changedTasks = changedTaskKeys(plan, before.tasks, after.tasks);
  // The store holds the timers the state before implied (when `timersKnown`): the step's are
  // derived from the state after and written as the difference.
  const beforePhase = live.ended ? undefined : live.phase;
  let timers: InstanceStep['timers'];
  if (!live.timersKnown || changedTasks === undefined || ended) {
    const wanted = desiredTimers(plan, instanceId, after, ended ? undefined : phase);
    const previous = live.timersKnown ? desiredTimers(plan, instanceId, before, beforePhase) : undefined;
    if (!previous || !sameTimers(previous, wanted)) timers = { kind: 'replace', timers: wanted, previous };
    live.timersKnown = true;
  } else {
    const others = phase !== live.phase || before.recur !== after.recur || before.insp !== after.insp;
    if (changedTasks.size > 0 || others) {
      const patch = timerPatch(plan, instanceId, { context: before, phase: beforePhase }, { context: after, phase }, changedTasks, others);
      if (patch.put.length > 0 || patch.remove.length > 0) timers = { kind: 'patch', put: patch.put, remove: patch.remove };
    }
  }
  // Counted again when the keys changed are not known (or the count is not), else moved by those keys.
  const counted = changedTasks === undefined || live.overdue === undefined;
  let overdue = counted ? countOverdue(after) : (live.overdue as number);
  let opened: string[] | undefined;
  if (changedTasks !== undefined)
    for (const key of changedTasks) {
      const was = taskAt(before.tasks, key)?.s;
      const is = taskAt(after.tasks, key)?.s;
      if (!counted) overdue += (is === 'overdue' ? 1 : 0) - (was === 'overdue' ? 1 : 0);
      if ((is === 'open' || is === 'overdue') && was !== 'open' && was !== 'overdue') (opened ??= []).push(publicTaskKey(after.members, key));
    }
  const escalated = before.ladders === after.ladders && live.escalated !== undefined ? live.escalated : countEscalated(after);
  // Field by field: V8 gives an object made by a spread and more fields a layout of its own, every time.
  const { meta } = live;
  const record: InstanceRecord = {
    id: meta.id,
    campaignId: meta.campaignId,
    unitId: meta.unitId,
    unitPath: meta.unitPath,
    phase,
    overdue,
    escalated,
    ended,
    snapshot: next,
    revision,
  };
  const history = lazyHistoryEntry({ instanceId, revision, type: event.type, actor, cause, at, idempotencyKey }, event, live, next.value);
  const outbox = drafts.length === 0 ? NO_OUTBOX : drafts.map((d, i): OutboxRecord => {
    const effect: { -readonly [K in keyof Effect]: Effect[K] } = {
      id: `${instanceId}:${revision}:${i}`,
      campaignId: meta.campaignId,
      instanceId,
      unitId: meta.unitId,
    } as Effect;
    if (d.member !== undefined) effect.memberId = d.member;
    if (d.action !== undefined) effect.action = d.action;
    effect.effect = d.effect;
    effect.title = d.title;
    effect.cause = d.cause;
    effect.at = at;
    return lazyOutboxRecord(effect, at);
  });
  live.revision = revision;
  live.time = at;
  live.phase = phase;
  live.ended = ended;
  live.overdue = overdue;
  live.escalated = escalated;
  const applied: Applied = {
    result: { instanceId, revision, duplicate: false, phase, effects: drafts.length },
    change: changeOf(meta.campaignId, instanceId, revision, event.type, phase, at, changedTasks && publicTaskKeys(after.members, changedTasks), changedTasks && (opened ?? NO_KEYS)),
    effects: drafts.length,
    after: () => {
      live.committed = { revision, context: after };
    },
  };
  return { timers, record: Object.freeze(record), expected, history, outbox, applied };
}

/** Writes a step in a store transaction. */
export async function writeStep(tx: StoreTransaction, step: InstanceStep): Promise<void> {
  const { timers, record } = step;
  if (timers?.kind === 'replace') await tx.replaceTimers(record.id, timers.timers, timers.previous);
  else if (timers?.kind === 'patch') await tx.patchTimers(record.id, timers.put, timers.remove);
  await tx.updateInstance(record, step.expected);
  await tx.appendHistory(step.history);
  if (step.outbox.length > 0) await tx.addOutbox(step.outbox);
}

/** Writes a step in a synchronous transaction (`Store.transactionSync`), as `writeStep` does. */
export function writeStepNow(tx: SyncStoreTransaction, step: InstanceStep): void {
  const { timers, record } = step;
  if (timers?.kind === 'replace') tx.replaceTimers(record.id, timers.timers, timers.previous);
  else if (timers?.kind === 'patch') tx.patchTimers(record.id, timers.put, timers.remove);
  tx.updateInstance(record, step.expected);
  tx.appendHistory(step.history);
  if (step.outbox.length > 0) tx.addOutbox(step.outbox);
}

/** The phase of a state value: its top-level state, or `ENDED` once the machine has none. */
export function phaseOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return Object.keys(value)[0] ?? ENDED;
  return ENDED;
}

/** The error of an actor that failed while applying an event (or starting, or restoring). */
export function stepFailed(instanceId: string, type: string, error: unknown): EngineError {
  return new EngineError('ENGINE_STEP_FAILED', { id: instanceId, type, detail: error instanceof Error ? error.message : String(error) }, { cause: error });
}

/** A committed change for subscribers, its optional fields set only when known (see `lazyHistoryEntry` on layouts). */
function changeOf(
  campaignId: string,
  instanceId: string,
  revision: number,
  type: string,
  phase: string,
  at: number,
  tasks: readonly string[] | undefined,
  opened: readonly string[] | undefined,
): EngineChange {
  const change: { -readonly [K in keyof EngineChange]: EngineChange[K] } = { campaignId, instanceId, revision, type, phase, at };
  if (tasks !== undefined) change.tasks = tasks;
  if (opened !== undefined) change.opened = opened;
  return change;
}

/** The keys hosts see of the record keys a step wrote. */
function publicTaskKeys(members: readonly string[], keys: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const key of keys) out.push(publicTaskKey(members, key));
  return out;
}

/** The tasks opened by a change that opened none (most): one array for all. */
const NO_KEYS: readonly string[] = Object.freeze([]);

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
