import { createActor } from 'xstate';
import { EngineError } from '../../errors/engine-error.js';
import type { Store } from '../../ports/store.js';
import type { MachineEvent } from '../campaign-event.js';
import { canonicalJson } from '../canonical-json.js';
import type { InstanceInput } from '../instance-context.js';
import type { Definitions } from './definitions.js';
import { storedInstance } from './stored-snapshot.js';

/**
 * Replay (重放): rebuilds an instance from its history alone, on the version its campaign runs,
 * and compares it with the stored snapshot. Throws ENGINE_REPLAY_MISMATCH when they differ;
 * returns the rebuilt snapshot when they agree.
 */
export async function replayInstance(
  store: Store,
  definitions: Definitions,
  instanceId: string,
): Promise<{ readonly revision: number; readonly snapshot: unknown }> {
  const record = await storedInstance(store, instanceId);
  const { machine } = await definitions.compiledFor(record.campaignId);
  const history = await store.history(instanceId);
  const first = history[0];
  if (!first || first.type !== 'start') throw new EngineError('ENGINE_REPLAY_MISMATCH', { id: instanceId });
  const input = (JSON.parse(first.event) as { input: InstanceInput }).input;
  const actor = createActor(machine, { input });
  const failure = watch(actor);
  actor.on('effect', () => undefined);
  actor.start();
  for (const entry of history.slice(1)) actor.send(JSON.parse(entry.event) as MachineEvent);
  const rebuilt = actor.getPersistedSnapshot();
  actor.stop();
  if (failure.error || canonicalJson(rebuilt) !== canonicalJson(record.snapshot)) throw new EngineError('ENGINE_REPLAY_MISMATCH', { id: instanceId });
  return { revision: record.revision, snapshot: rebuilt };
}

/** The first failure of an actor, once it has one (an actor that fails stops taking events). */
function watch(actor: { subscribe(observer: { error: (e: unknown) => void }): unknown }): { error: unknown } {
  const failure: { error: unknown } = { error: undefined };
  actor.subscribe({ error: (e) => (failure.error = e ?? new Error('unknown failure')) });
  return failure;
}
