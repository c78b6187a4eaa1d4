import type { HistoryRecord, InstanceRecord, OutboxRecord, StoreTransaction, TimerRecord } from '../ports/store.js';
import type { MachineEvent } from './campaign-event.js';
import type { CachedInstance } from './instance-cache.js';
import { publicTaskKey } from './record-keys.js';
import { step, timersOfState, type StepOrigin } from './step.js';
import { encodeSnapshot } from './stored-format.js';
import type { EngineChange, SendResult } from './views.js';

export { phaseOf, stepFailed, type StepOrigin } from './step.js';

/** What one applied event leaves for after the commit. */
export interface Applied<T = SendResult> {
  readonly result: T;
  readonly change?: EngineChange;
  readonly effects: number;
  /** Runs once the job's transaction has committed. */
  readonly after?: () => void;
}

/**
 * One event applied to a cached instance, everything it writes made before anything is written
 * (`writeStep` then writes it in the job's transaction).
 */
export interface InstanceStep {
  /** The instance's timers made exactly these (the store's set is not known), or only these put and removed, or left alone. */
  readonly timers:
    | { readonly kind: 'replace'; readonly timers: readonly TimerRecord[] }
    | { readonly kind: 'patch'; readonly put: readonly TimerRecord[]; readonly remove: readonly string[] }
    | undefined;
  readonly record: InstanceRecord;
  /** The revision the store must still hold (the optimistic check). */
  readonly expected: number;
  readonly history: HistoryRecord;
  readonly outbox: readonly OutboxRecord[];
  readonly applied: Applied;
}

/**
 * Applies `event` to a cached instance through the pure `step` and works out what the store must
 * write: its record (the snapshot in the stored format), its timers (the step's difference, or the
 * whole set when the store's is not known), its history entry and its effects. The cache entry
 * takes the state after at once; a caller whose transaction then fails drops it. Throws
 * ENGINE_TIME_BACKWARDS or ENGINE_STEP_FAILED, leaving the entry as it was.
 */
export function stepInstance(live: CachedInstance, event: MachineEvent, origin: StepOrigin): InstanceStep {
  const before = live.state;
  const done = step(live, before, event, { ...origin, texts: live });
  const after = done.state;
  let timers: InstanceStep['timers'];
  if (!live.timersKnown) timers = { kind: 'replace', timers: timersOfState(live.plan, after) };
  else if (done.timers.put.length > 0 || done.timers.remove.length > 0) timers = { kind: 'patch', put: done.timers.put, remove: done.timers.remove };
  live.state = after;
  live.timersKnown = true;
  const { meta, revision, phase, snapshot } = after;
  const context = live.context;
  // Field by field: V8 gives an object made by a spread and more fields a layout of its own, every time.
  const record: InstanceRecord = {
    id: meta.id,
    campaignId: meta.campaignId,
    unitId: meta.unitId,
    unitPath: meta.unitPath,
    phase,
    overdue: after.overdue,
    escalated: after.escalated,
    ended: after.ended,
    snapshot: encodeSnapshot(snapshot.value, context),
    revision,
  };
  const effects = done.effects.length;
  const applied: Applied = {
    result: { instanceId: meta.id, revision, duplicate: false, phase, effects },
    change: changeOf(meta.campaignId, meta.id, revision, event.type, phase, origin.at, publicTaskKeys(context.members, done.changes.tasks), done.changes.opened),
    effects,
    after: () => {
      live.committed = { revision, context };
    },
  };
  return { timers, record: Object.freeze(record), expected: before.revision, history: done.history, outbox: done.effects, applied };
}

/** Writes a step in a store transaction. */
export async function writeStep(tx: StoreTransaction, step: InstanceStep): Promise<void> {
  const { timers, record } = step;
  if (timers?.kind === 'replace') await tx.replaceTimers(record.id, timers.timers);
  else if (timers?.kind === 'patch') await tx.patchTimers(record.id, timers.put, timers.remove);
  await tx.updateInstance(record, step.expected);
  await tx.appendHistory(step.history);
  if (step.outbox.length > 0) await tx.addOutbox(step.outbox);
}

/** A committed change for subscribers. */
export function changeOf(
  campaignId: string,
  instanceId: string,
  revision: number,
  type: string,
  phase: string,
  at: number,
  tasks: readonly string[],
  opened: readonly string[],
): EngineChange {
  return { campaignId, instanceId, revision, type, phase, at, tasks, opened };
}

/** The keys hosts see of the record keys a step wrote. */
export function publicTaskKeys(members: readonly string[], keys: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const key of keys) out.push(publicTaskKey(members, key));
  return out;
}
