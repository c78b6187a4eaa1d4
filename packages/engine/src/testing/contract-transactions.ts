import { describe, expect, it } from 'vitest';
import { StoreConflictError } from '../errors/engine-error.js';
import type { InstanceRecord, Store, StoreTransaction } from '../ports/store.js';
import { campaign, type ContractSuite, definition, effect, entry, ids, instance, rejectionOf, timer } from './contract-fixtures.js';

/** Transactions (事务): own reads, rollback, group commit (`transactionBatch`). */
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

}
