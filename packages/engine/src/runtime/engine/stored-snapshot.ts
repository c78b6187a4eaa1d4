import { EngineError } from '../../errors/engine-error.js';
import type { InstanceRecord, Store } from '../../ports/store.js';
import type { InstanceContext } from '../instance-context.js';
import type { InstanceCache } from '../instance-cache.js';
import { decodeSnapshot, type DecodedSnapshot } from '../stored-format.js';

/** The stored snapshot (存储快照) of an instance, decoded from whichever stored format wrote it. Throws STORE_UNSUPPORTED_FORMAT. */
export function persisted(record: InstanceRecord): DecodedSnapshot {
  return decodeSnapshot(record.id, record.snapshot);
}

/**
 * The context of a stored record for a query, outside any transaction: the cached state's when it
 * has committed exactly that revision (a cached state may be ahead of the store while its
 * transaction is open), else decoded from the snapshot.
 */
export function committedContext(live: InstanceCache, record: InstanceRecord): InstanceContext {
  const committed = live.peek(record.id)?.committed;
  return committed?.revision === record.revision ? committed.context : persisted(record).context;
}

/** The context of a record read inside a transaction: the cached state's when it holds that revision, else the snapshot's. */
export function currentContext(live: InstanceCache, record: InstanceRecord): InstanceContext {
  const cached = live.get(record.id);
  return cached?.revision === record.revision ? cached.context : persisted(record).context;
}

/** An instance's stored record. Throws ENGINE_INSTANCE_NOT_FOUND. */
export async function storedInstance(store: Pick<Store, 'getInstance'>, instanceId: string): Promise<InstanceRecord> {
  const record = await store.getInstance(instanceId);
  if (!record) throw new EngineError('ENGINE_INSTANCE_NOT_FOUND', { id: instanceId });
  return record;
}
