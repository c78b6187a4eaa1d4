import { EngineError } from '../../errors/engine-error.js';
import type { Store } from '../../ports/store.js';
import type { MachineEvent } from '../campaign-event.js';
import { canonicalJson } from '../canonical-json.js';
import type { InstanceInput } from '../instance-context.js';
import { initialState, step, type UnitState } from '../step.js';
import { encodeSnapshot } from '../stored-format.js';
import type { Definitions } from './definitions.js';
import { persisted, storedInstance } from './stored-snapshot.js';

/**
 * Replay (重放): rebuilds an instance from its history alone, on the version its campaign runs,
 * through the same pure step as every event, and compares its state value and records with the
 * stored snapshot's (decoded from whichever format wrote it). Throws ENGINE_REPLAY_MISMATCH when
 * they differ; returns the rebuilt snapshot, in the stored format, when they agree.
 */
export async function replayInstance(
  store: Store,
  definitions: Definitions,
  instanceId: string,
): Promise<{ readonly revision: number; readonly snapshot: unknown }> {
  const record = await storedInstance(store, instanceId);
  const chart = await definitions.compiledFor(record.campaignId);
  const history = await store.history(instanceId);
  const first = history[0];
  if (!first || first.type !== 'start') throw new EngineError('ENGINE_REPLAY_MISMATCH', { id: instanceId });
  const input = (JSON.parse(first.event) as { input: InstanceInput }).input;
  const meta = { id: record.id, campaignId: record.campaignId, unitId: record.unitId, unitPath: record.unitPath };
  let state: UnitState;
  try {
    state = initialState(chart, meta, input);
    for (const entry of history.slice(1)) {
      const event = JSON.parse(entry.event) as MachineEvent;
      state = step(chart, state, event, { at: entry.at, actor: entry.actor, cause: entry.cause, idempotencyKey: entry.idempotencyKey }).state;
    }
  } catch (error) {
    throw new EngineError('ENGINE_REPLAY_MISMATCH', { id: instanceId }, { cause: error });
  }
  const stored = persisted(record);
  const rebuilt = { value: state.snapshot.value, context: state.snapshot.context as unknown };
  if (canonicalJson(rebuilt) !== canonicalJson({ value: stored.value, context: stored.context })) throw new EngineError('ENGINE_REPLAY_MISMATCH', { id: instanceId });
  return { revision: record.revision, snapshot: encodeSnapshot(state.snapshot.value, state.snapshot.context as never) };
}
