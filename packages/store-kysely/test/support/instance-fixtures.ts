import { StoreConflictError, type InstanceRecord, type Store } from '@luoshi/engine';
import { contractInstance } from '@luoshi/engine/testing';

/** An instance record of campaign `c1` for store tests: the store contract's own. */
export const unit = contractInstance;

/**
 * Adds one to `overdue` of instance `id`, retrying on conflict; reads inside the transaction or
 * before it, and yields to the event loop between read and write, as an engine doing work would.
 * Returns how many conflicts it met.
 */
export async function bump(store: Store, id: string, readInside: boolean): Promise<number> {
  let conflicts = 0;
  for (;;) {
    const before = readInside ? undefined : await store.getInstance(id);
    try {
      await store.transaction(async (tx) => {
        const current = (before ?? (await tx.getInstance(id))) as InstanceRecord;
        await new Promise((resolve) => setImmediate(resolve));
        await tx.updateInstance({ ...current, overdue: current.overdue + 1, revision: current.revision + 1 }, current.revision);
      });
      return conflicts;
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      conflicts++;
    }
  }
}
