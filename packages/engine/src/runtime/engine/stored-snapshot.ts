import { EngineError } from '../../errors/engine-error.js';
import type { InstanceRecord, Store } from '../../ports/store.js';
import type { InstanceContext } from '../instance-context.js';
import type { LiveInstances, PersistedSnapshot } from '../live-instance.js';

/** The stored snapshot (存储快照) of an instance as the engine wrote it. */
export function persisted(record: InstanceRecord): PersistedSnapshot {
  return record.snapshot as unknown as PersistedSnapshot;
}

/**
 * The context of a stored record for a query, outside any transaction: the live actor's when it
 * has committed exactly that revision (a live actor may be ahead of the store while its
 * transaction is open), else parsed from the snapshot.
 */
export function committedContext(live: LiveInstances, record: InstanceRecord): InstanceContext {
  const committed = live.peek(record.id)?.committed;
  return committed?.revision === record.revision ? committed.context : persisted(record).context;
}

/** The context of a record read inside a transaction: the live actor's when it holds that revision, else the snapshot's. */
export function currentContext(live: LiveInstances, record: InstanceRecord): InstanceContext {
  const actor = live.get(record.id);
  return actor?.revision === record.revision ? actor.context : persisted(record).context;
}

/** An instance's stored record. Throws ENGINE_INSTANCE_NOT_FOUND. */
export async function storedInstance(store: Store, instanceId: string): Promise<InstanceRecord> {
  const record = await store.getInstance(instanceId);
  if (!record) throw new EngineError('ENGINE_INSTANCE_NOT_FOUND', { id: instanceId });
  return record;
}
