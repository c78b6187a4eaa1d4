import { StoreConflictError, type InstanceRecord, type Store } from '@luoshi/engine';

/** An instance record of campaign `c1` for store tests, with `overrides` on top. */
export const unit = (id: string, overrides: Partial<InstanceRecord> = {}): InstanceRecord => ({
  id,
  campaignId: 'c1',
  unitId: `unit-${id}`,
  unitPath: `/root/${id}/`,
  phase: 'mobilise',
  overdue: 0,
  escalated: 0,
  ended: false,
  snapshot: { value: '动员部署' },
  revision: 1,
  ...overrides,
});

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
