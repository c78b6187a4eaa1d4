import { EngineError } from '../../errors/engine-error.js';
import type { Store } from '../../ports/store.js';
import { canonicalJson } from '../canonical-json.js';
import { encodeSnapshot } from '../stored-format.js';
import { walkHistory } from '../walk-history.js';
import type { Definitions } from './definitions.js';
import { persisted, storedInstance } from './stored-snapshot.js';

/**
 * Replay (重放): rebuilds an instance from its history alone, on the version its campaign runs,
 * through the same pure step as every event (`walkHistory`), and compares its state value and
 * records with the stored snapshot's (decoded from whichever format wrote it). Throws
 * ENGINE_REPLAY_MISMATCH when they differ, when the history does not begin with the start, when
 * an entry (the start's too) cannot be read and when a step fails (the error its cause); returns the
 * rebuilt snapshot, in the stored format, when they agree.
 */
export async function replayInstance(
  store: Store,
  definitions: Definitions,
  instanceId: string,
): Promise<{ readonly revision: number; readonly snapshot: unknown }> {
  const record = await storedInstance(store, instanceId);
  const chart = await definitions.compiledFor(record.campaignId);
  const history = await store.history(instanceId);
  const mismatch = (cause?: unknown) => new EngineError('ENGINE_REPLAY_MISMATCH', { id: instanceId }, { cause });
  const state = walkHistory(chart, record, history, { failed: mismatch });
  if (state === undefined) throw mismatch();
  const stored = persisted(record);
  const rebuilt = { value: state.snapshot.value, context: state.snapshot.context as unknown };
  if (canonicalJson(rebuilt) !== canonicalJson({ value: stored.value, context: stored.context })) throw mismatch();
  return { revision: record.revision, snapshot: encodeSnapshot(state.snapshot.value, state.snapshot.context as never) };
}
