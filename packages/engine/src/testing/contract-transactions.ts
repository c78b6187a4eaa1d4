import { describe, expect, it } from 'vitest';
import { StoreConflictError } from '../errors/engine-error.js';
import { STORE_BUSY, type InstanceRecord, type Store, type StoreTransaction, type SyncStoreTransaction } from '../ports/store.js';
import { campaign, type ContractSuite, definition, effect, entry, ids, instance, rejectionOf, timer } from './contract-fixtures.js';

/** Transactions (事务): own reads, rollback, group commit (`transactionBatch`) and the synchronous side door (`transactionSync`). */
export function transactionsContract(suite: ContractSuite): void {
  const { name, options, write } = suite;

  describe('given a transaction', () => {
    it('when it writes, then its own later reads see the writes before it commits', async () => {
      await write((tx) => tx.insertInstance(instance('b', { unitPath: '/root/b/' })));
      const seen = await write(async (tx) => {
        await tx.insertInstance(instance('a', { unitPath: '/root/z/' }));
        await tx.updateInstance(instance('b', { unitPath: '/root/b/', phase: 'rectify', revision: 2 }), 1);
        await tx.insertCampaign(campaign('c1'));
        await tx.insertDefinition(definition('p-002', 1));
        await tx.appendHistory(entry('a', 1, { idempotencyKey: 'k1' }));
        await tx.replaceTimers('a', [timer('a', 'deadline', 500)]);
        return {
          instance: await tx.getInstance('a'),
          listed: (await tx.listInstances('c1')).map((record) => `${record.id}:${record.phase}`),
          campaign: await tx.getCampaign('c1'),
          definition: await tx.getDefinition('p-002'),
          key: await tx.hasIdempotencyKey('a', 'k1'),
          claimed: await tx.claimTimer(timer('a', 'deadline', 500)),
          claimedAgain: await tx.claimTimer(timer('a', 'deadline', 500)),
        };
      });
      expect(seen).toEqual({
        instance: instance('a', { unitPath: '/root/z/' }),
        listed: ['b:rectify', 'a:mobilise'],
        campaign: campaign('c1'),
        definition: definition('p-002', 1),
        key: true,
        claimed: true,
        claimedAgain: false,
      });
      expect(await suite.store.timers('a')).toEqual([]);
    });

    it('when its function throws, then the error is rethrown and none of its writes remain', async () => {
      await write(async (tx) => {
        await tx.insertInstance(instance('i1'));
        await tx.replaceTimers('i1', [timer('i1', 'deadline', 100)]);
      });
      const failure = new Error('boom');
      const error = await rejectionOf(
        write(async (tx) => {
          await tx.updateInstance(instance('i1', { phase: 'rectify', revision: 2 }), 1);
          await tx.insertInstance(instance('i2'));
          await tx.insertCampaign(campaign('c1'));
          await tx.insertDefinition(definition('p-002', 1));
          await tx.appendHistory(entry('i1', 2, { idempotencyKey: 'k1' }));
          await tx.replaceTimers('i2', [timer('i2', 'deadline', 50)]);
          expect(await tx.claimTimer(timer('i1', 'deadline', 100))).toBe(true);
          await tx.addOutbox([effect('o1', 10)]);
          throw failure;
        }),
      );
      expect(error).toBe(failure);
      expect(await suite.store.getInstance('i1')).toEqual(instance('i1'));
      expect(await suite.store.getInstance('i2')).toBeUndefined();
      expect(await suite.store.listInstances('c1')).toEqual([instance('i1')]);
      expect(await suite.store.getCampaign('c1')).toBeUndefined();
      expect(await suite.store.listCampaigns()).toEqual([]);
      expect(await suite.store.getDefinition('p-002')).toBeUndefined();
      expect(await suite.store.history('i1')).toEqual([]);
      expect(await suite.store.timers('i1')).toEqual([timer('i1', 'deadline', 100)]);
      expect(await suite.store.timers('i2')).toEqual([]);
      expect(await suite.store.nextTimer()).toEqual(timer('i1', 'deadline', 100));
      expect(await suite.store.pendingOutbox(10)).toEqual([]);
      expect(await write((tx) => tx.hasIdempotencyKey('i1', 'k1'))).toBe(false);
      await write((tx) => tx.insertInstance(instance('i2')));
      expect(await suite.store.getInstance('i2')).toEqual(instance('i2'));
    });
  });

  describe('given group commit (transactionBatch)', () => {
    it('when one function of a batch fails, then it alone rolls back and the others commit together', async (context) => {
      const batch = suite.store.transactionBatch?.bind(suite.store);
      if (batch === undefined) {
        expect(options.requireTransactionBatch ?? false, `${name} must implement transactionBatch`).toBe(false);
        context.skip();
        return;
      }
      await write((tx) => tx.insertInstance(instance('a0')));
      const failure = new Error('boom');
      const outcomes = await batch<string>([
        async (tx) => {
          await tx.insertInstance(instance('a'));
          await tx.addOutbox([effect('o-a', 10, 'a')]);
          await tx.patchTimers('a', [timer('a', 'deadline', 10), timer('a', 'remind', 5)], []);
          return 'a';
        },
        async (tx) => {
          await tx.insertInstance(instance('b'));
          await tx.replaceTimers('b', [timer('b', 'deadline', 10)]);
          await tx.patchTimers('a', [timer('a', 'later', 20)], ['remind']);
          await tx.addOutbox([effect('o-b', 10, 'b')]);
          throw failure;
        },
        async (tx) => {
          await tx.insertInstance(instance('c'));
          return (await tx.getInstance('a')) === undefined ? 'c alone' : 'c saw a';
        },
        async (tx) => {
          await tx.appendHistory(entry('a0', 2));
          await tx.updateInstance(instance('a0', { revision: 3 }), 2);
          return 'never';
        },
      ]);
      expect(outcomes).toHaveLength(4);
      expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 'a' });
      expect(outcomes[1]).toEqual({ status: 'rejected', reason: failure });
      expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 'c saw a' });
      expect(outcomes[3]?.status).toBe('rejected');
      expect(outcomes[3]?.status === 'rejected' ? outcomes[3].reason : undefined).toBeInstanceOf(StoreConflictError);
      expect(await suite.store.getInstance('a')).toEqual(instance('a'));
      expect(await suite.store.getInstance('b')).toBeUndefined();
      expect(await suite.store.getInstance('c')).toEqual(instance('c'));
      expect(await suite.store.timers('b')).toEqual([]);
      expect(await suite.store.timers('a')).toEqual([timer('a', 'remind', 5), timer('a', 'deadline', 10)]);
      expect(await suite.store.history('a0')).toEqual([]);
      expect(ids(await suite.store.pendingOutbox(10))).toEqual(['o-a']);
    });

    it('when a function of a batch fails after writing, then the functions after it see none of its writes', async (context) => {
      const batch = suite.store.transactionBatch?.bind(suite.store);
      if (batch === undefined) {
        expect(options.requireTransactionBatch ?? false, `${name} must implement transactionBatch`).toBe(false);
        context.skip();
        return;
      }
      await write((tx) => tx.replaceTimers('i1', [timer('i1', 'deadline', 100)]));
      const failure = new Error('rolled back alone');
      const outcomes = await batch<unknown>([
        async (tx) => {
          await tx.insertInstance(instance('x'));
          await tx.appendHistory(entry('x', 1, { idempotencyKey: 'k-x' }));
          expect(await tx.claimTimer(timer('i1', 'deadline', 100))).toBe(true);
          await tx.addOutbox([effect('o-x', 10, 'x')]);
          throw failure;
        },
        async (tx) => [
          await tx.getInstance('x'),
          await tx.hasIdempotencyKey('x', 'k-x'),
          await tx.instanceTime('x'),
          await tx.claimTimer(timer('i1', 'deadline', 100)),
        ],
        async (tx) => {
          // The effect id the failed function used is free again.
          await tx.addOutbox([effect('o-x', 20, 'y')]);
          return 'added';
        },
      ]);
      expect(outcomes).toEqual([
        { status: 'rejected', reason: failure },
        { status: 'fulfilled', value: [undefined, false, undefined, true] },
        { status: 'fulfilled', value: 'added' },
      ]);
      expect(await suite.store.timers('i1')).toEqual([]);
      expect(await suite.store.getInstance('x')).toBeUndefined();
      expect(await suite.store.pendingOutbox(10)).toEqual([effect('o-x', 20, 'y')]);
    });

    it('when a batch is empty, then it commits nothing and returns no outcomes', async (context) => {
      if (suite.store.transactionBatch === undefined) {
        expect(options.requireTransactionBatch ?? false, `${name} must implement transactionBatch`).toBe(false);
        context.skip();
        return;
      }
      expect(await suite.store.transactionBatch([])).toEqual([]);
      await write((tx) => tx.insertInstance(instance('i1')));
      expect(await suite.store.getInstance('i1')).toEqual(instance('i1'));
    });
  });

  describe('given the synchronous side door (transactionSync)', () => {
    /** The store's `transactionSync`, or undefined (and the test skipped) when it has none and need not. */
    const sync = (context: { skip(): void }): NonNullable<Store['transactionSync']> | undefined => {
      const door = suite.store.transactionSync?.bind(suite.store);
      if (door === undefined) {
        expect(options.requireTransactionSync ?? false, `${name} must implement transactionSync`).toBe(false);
        context.skip();
      }
      return door;
    };

    it('when its function returns, then its writes are committed and its result is returned', async (context) => {
      const transactionSync = sync(context);
      if (transactionSync === undefined) return;
      const result = transactionSync((tx) => {
        tx.insertInstance(instance('i1'));
        tx.appendHistory(entry('i1', 1, { idempotencyKey: 'k1', at: 7_000 }));
        tx.replaceTimers('i1', [timer('i1', 'deadline', 100)]);
        tx.addOutbox([effect('o1', 10)]);
        return 'committed';
      });
      expect(result).toBe('committed');
      expect(await suite.store.getInstance('i1')).toEqual(instance('i1'));
      expect(await suite.store.history('i1')).toEqual([entry('i1', 1, { idempotencyKey: 'k1', at: 7_000 })]);
      expect(await suite.store.timers('i1')).toEqual([timer('i1', 'deadline', 100)]);
      expect(await suite.store.pendingOutbox(10)).toEqual([effect('o1', 10)]);
      expect(await write((tx) => tx.instanceTime('i1'))).toBe(7_000);
    });

    it('when its function throws, then the error is rethrown, none of its writes remain and the store takes the next transaction', async (context) => {
      const transactionSync = sync(context);
      if (transactionSync === undefined) return;
      await write(async (tx) => {
        await tx.insertInstance(instance('i1'));
        await tx.replaceTimers('i1', [timer('i1', 'deadline', 100)]);
      });
      const failure = new Error('boom');
      let thrown: unknown;
      try {
        transactionSync((tx) => {
          tx.updateInstance(instance('i1', { phase: 'rectify', revision: 2 }), 1);
          tx.insertInstance(instance('i2'));
          expect(tx.claimTimer(timer('i1', 'deadline', 100))).toBe(true);
          tx.addOutbox([effect('o1', 10)]);
          throw failure;
        });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBe(failure);
      expect(await suite.store.getInstance('i1')).toEqual(instance('i1'));
      expect(await suite.store.getInstance('i2')).toBeUndefined();
      expect(await suite.store.timers('i1')).toEqual([timer('i1', 'deadline', 100)]);
      expect(await suite.store.pendingOutbox(10)).toEqual([]);
      expect(transactionSync((tx) => tx.getInstance('i1'))).toEqual(instance('i1'));
    });

    it('when another transaction or batch is open, then it returns STORE_BUSY without calling its function, and runs again once they end', async (context) => {
      const transactionSync = sync(context);
      if (transactionSync === undefined) return;
      let calls = 0;
      const count = (tx: SyncStoreTransaction): InstanceRecord | undefined => {
        calls++;
        return tx.getInstance('held');
      };
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const open = new Promise<void>((resolve) => (started = resolve));
      const running = write(async (tx) => {
        await tx.insertInstance(instance('held'));
        started();
        await held;
      });
      await open;
      expect(transactionSync(count)).toBe(STORE_BUSY);
      expect(calls).toBe(0);
      release();
      await running;
      expect(transactionSync(count)).toEqual(instance('held'));
      expect(calls).toBe(1);
      const batch = suite.store.transactionBatch?.bind(suite.store);
      if (batch === undefined) return;
      let releaseBatch!: () => void;
      const heldBatch = new Promise<void>((resolve) => (releaseBatch = resolve));
      let batchStarted!: () => void;
      const batchOpen = new Promise<void>((resolve) => (batchStarted = resolve));
      const batched = batch([
        async () => {
          batchStarted();
          await heldBatch;
        },
      ]);
      await batchOpen;
      expect(transactionSync(count)).toBe(STORE_BUSY);
      expect(calls).toBe(1);
      releaseBatch();
      expect(await batched).toEqual([{ status: 'fulfilled', value: undefined }]);
      expect(transactionSync(count)).toEqual(instance('held'));
      expect(calls).toBe(2);
    });

    it('when the async API and transactionSync take turns, then each sees what the other committed', async (context) => {
      const transactionSync = sync(context);
      if (transactionSync === undefined) return;
      await write(async (tx) => {
        await tx.insertInstance(instance('i1'));
        await tx.appendHistory(entry('i1', 1, { idempotencyKey: 'k1', at: 5_000 }));
        await tx.replaceTimers('i1', [timer('i1', 'a', 100), timer('i1', 'b', 200)]);
      });
      const seen = transactionSync((tx) => {
        const read = [tx.getInstance('i1'), tx.hasIdempotencyKey('i1', 'k1'), tx.instanceTime('i1'), tx.claimTimer(timer('i1', 'a', 100))];
        tx.updateInstance(instance('i1', { phase: 'rectify', revision: 2 }), 1);
        tx.appendHistory(entry('i1', 2, { at: 6_000 }));
        tx.patchTimers('i1', [timer('i1', 'c', 300)], ['b']);
        return read;
      });
      expect(seen).toEqual([instance('i1'), true, 5_000, true]);
      const after = await write(async (tx) => [await tx.getInstance('i1'), await tx.instanceTime('i1'), await tx.claimTimer(timer('i1', 'c', 300))]);
      expect(after).toEqual([instance('i1', { phase: 'rectify', revision: 2 }), 6_000, true]);
      expect(await suite.store.history('i1')).toHaveLength(2);
      expect(await suite.store.timers('i1')).toEqual([]);
      expect(await suite.store.campaignTime('c1')).toBe(6_000);
    });

    it('when the same calls are made through transactionSync and transaction, then every method answers the same and leaves the same records', async (context) => {
      const transactionSync = sync(context);
      if (transactionSync === undefined) return;
      const viaSync = transactionSync((tx) => everyMethod('S', tx));
      const viaAsync = await write((tx) => everyMethodAsync('A', tx));
      const unprefixed = (value: unknown, prefix: string): string => JSON.stringify(value).replaceAll(`${prefix}:`, '');
      expect(unprefixed(viaSync, 'S')).toBe(unprefixed(viaAsync, 'A'));
      const records = async (prefix: string) => [
        await suite.store.getDefinition(`${prefix}:p`),
        await suite.store.getCampaign(`${prefix}:c`),
        await suite.store.listInstances(`${prefix}:c`),
        await suite.store.history(`${prefix}:c/u1`),
        await suite.store.timers(`${prefix}:c/u1`),
        await suite.store.campaignTime(`${prefix}:c`),
      ];
      expect(unprefixed(await records('S'), 'S')).toBe(unprefixed(await records('A'), 'A'));
      expect(ids(await suite.store.pendingOutbox(10))).toEqual(['S:o1', 'A:o1']);
    });
  });
}

/**
 * The calls of `everyMethod`: each of the 16 methods of a transaction at least once, on records whose
 * ids start with `prefix:` (so the two runs of a test do not meet), a refused call noted by its code.
 */
function calls(prefix: string): ((tx: SyncStoreTransaction | StoreTransaction) => unknown)[] {
  const id = `${prefix}:c/u1`;
  return [
    (tx) => tx.insertDefinition(definition(`${prefix}:p`, 1)),
    (tx) => tx.getDefinition(`${prefix}:p`),
    (tx) => tx.getDefinition(`${prefix}:p`, 2),
    (tx) => tx.insertCampaign(campaign(`${prefix}:c`)),
    (tx) => tx.getCampaign(`${prefix}:c`),
    (tx) => tx.insertInstance(instance(id, { campaignId: `${prefix}:c` })),
    (tx) => tx.insertInstance(instance(id, { campaignId: `${prefix}:c` })),
    (tx) => tx.getInstance(id),
    (tx) => tx.updateInstance(instance(id, { campaignId: `${prefix}:c`, revision: 2 }), 1),
    (tx) => tx.updateInstance(instance(id, { campaignId: `${prefix}:c`, revision: 3 }), 1),
    (tx) => tx.listInstances(`${prefix}:c`),
    (tx) => tx.appendHistory(entry(id, 2, { idempotencyKey: 'k1', at: 9_000 })),
    (tx) => tx.appendHistory(entry(id, 2)),
    (tx) => tx.hasIdempotencyKey(id, 'k1'),
    (tx) => tx.idempotentEntry(id, 'k1'),
    (tx) => tx.instanceTime(id),
    (tx) => tx.replaceTimers(id, [timer(id, 'a', 100), timer(id, 'b', 200)]),
    (tx) => tx.patchTimers(id, [timer(id, 'c', 50)], ['b']),
    (tx) => tx.replaceTimers(id, [timer(id, 'a', 100), timer(id, 'c', 60)], [timer(id, 'a', 100), timer(id, 'c', 50)]),
    (tx) => tx.claimTimer(timer(id, 'c', 50)),
    (tx) => tx.claimTimer(timer(id, 'c', 60)),
    (tx) => tx.claimTimer(timer(id, 'c', 60)),
    (tx) => tx.addOutbox([effect(`${prefix}:o1`, 10, id)]),
    (tx) => tx.addOutbox([effect(`${prefix}:o1`, 10, id)]),
  ];
}

/** A call's refusal as its code (or class name), so the two kinds of transaction compare. */
const refusal = (error: unknown): { refused: unknown } => ({ refused: (error as { code?: unknown }).code ?? (error as Error).name });

function everyMethod(prefix: string, tx: SyncStoreTransaction): unknown[] {
  return calls(prefix).map((call) => {
    try {
      return call(tx) ?? null;
    } catch (error) {
      return refusal(error);
    }
  });
}

async function everyMethodAsync(prefix: string, tx: StoreTransaction): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const call of calls(prefix)) {
    try {
      results.push((await call(tx)) ?? null);
    } catch (error) {
      results.push(refusal(error));
    }
  }
  return results;
}
