import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors/engine-error.js';
import { type ContractSuite, entry, instance, rejectionOf } from './contract-fixtures.js';

/** History (历史), idempotency keys (幂等键) and time: an instance's time (实例时间) and the campaign clock (活动时钟). */
export function historyContract(suite: ContractSuite): void {
  const { write } = suite;

  describe('given history', () => {
    it('when entries are appended out of order, then history lists them by revision, per instance', async () => {
      await write(async (tx) => {
        await tx.appendHistory(entry('i1', 3));
        await tx.appendHistory(entry('i1', 1, { actor: null, cause: 'start', type: 'xstate.init' }));
        await tx.appendHistory(entry('i2', 1));
      });
      await write((tx) => tx.appendHistory(entry('i1', 2, { idempotencyKey: 'k-2', cause: 'timer' })));
      expect(await suite.store.history('i1')).toEqual([
        entry('i1', 1, { actor: null, cause: 'start', type: 'xstate.init' }),
        entry('i1', 2, { idempotencyKey: 'k-2', cause: 'timer' }),
        entry('i1', 3),
      ]);
      expect(await suite.store.history('i2')).toEqual([entry('i2', 1)]);
      expect(await suite.store.history('i3')).toEqual([]);
    });

    it('when a revision is appended twice, then STORE_DUPLICATE is thrown and the first entry stays', async () => {
      await write((tx) => tx.appendHistory(entry('i1', 1)));
      const error = await rejectionOf(write((tx) => tx.appendHistory(entry('i1', 1, { type: 'other' }))));
      expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'history entry' } });
      expect(await suite.store.history('i1')).toEqual([entry('i1', 1)]);
    });
  });

  describe('given idempotency keys', () => {
    it('when an event with a key is applied, then the key is known for that instance only, also within the transaction', async () => {
      const inside = await write(async (tx) => {
        const before = await tx.hasIdempotencyKey('i1', 'k1');
        await tx.appendHistory(entry('i1', 2, { idempotencyKey: 'k1' }));
        return { before, after: await tx.hasIdempotencyKey('i1', 'k1') };
      });
      expect(inside).toEqual({ before: false, after: true });
      const later = await write(async (tx) => ({
        same: await tx.hasIdempotencyKey('i1', 'k1'),
        otherKey: await tx.hasIdempotencyKey('i1', 'k2'),
        otherInstance: await tx.hasIdempotencyKey('i2', 'k1'),
      }));
      expect(later).toEqual({ same: true, otherKey: false, otherInstance: false });
    });

    it('when a key is used again on the same instance, then STORE_DUPLICATE is thrown; other instances and null keys are free', async () => {
      await write((tx) => tx.appendHistory(entry('i1', 2, { idempotencyKey: 'k1' })));
      const error = await rejectionOf(write((tx) => tx.appendHistory(entry('i1', 3, { idempotencyKey: 'k1' }))));
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'idempotency key', id: 'k1' } });
      await write(async (tx) => {
        await tx.appendHistory(entry('i2', 2, { idempotencyKey: 'k1' }));
        await tx.appendHistory(entry('i1', 3));
        await tx.appendHistory(entry('i1', 4));
      });
      expect((await suite.store.history('i1')).map((record) => [record.revision, record.idempotencyKey])).toEqual([
        [2, 'k1'],
        [3, null],
        [4, null],
      ]);
      expect(await suite.store.history('i2')).toHaveLength(1);
    });

    it('when the entry of a key is asked for, then it reads back whole, also within the transaction, and a rolled-back one is gone', async () => {
      const keyed = entry('i1', 2, { idempotencyKey: 'k1', event: JSON.stringify({ type: 'task.done', task: '报告', at: 7 }), actor: '张三' });
      const inside = await write(async (tx) => {
        const before = await tx.idempotentEntry('i1', 'k1');
        await tx.appendHistory(keyed);
        return { before, after: await tx.idempotentEntry('i1', 'k1') };
      });
      expect(inside).toEqual({ before: undefined, after: keyed });
      await rejectionOf(
        write(async (tx) => {
          await tx.appendHistory(entry('i1', 3, { idempotencyKey: 'k2' }));
          throw new Error('rolled back');
        }),
      );
      const later = await write(async (tx) => ({
        same: await tx.idempotentEntry('i1', 'k1'),
        rolledBack: await tx.idempotentEntry('i1', 'k2'),
        otherInstance: await tx.idempotentEntry('i2', 'k1'),
      }));
      expect(later).toEqual({ same: keyed, rolledBack: undefined, otherInstance: undefined });
    });
  });

  describe('given the time of instances and campaigns', () => {
    it('when history is appended, then an instance’s time is its latest `at`, also within the transaction, and a rolled-back entry does not count', async () => {
      expect(await write((tx) => tx.instanceTime('i1'))).toBeUndefined();
      const inside = await write(async (tx) => {
        await tx.appendHistory(entry('i1', 1, { at: 5_000 }));
        await tx.appendHistory(entry('i1', 2, { at: 9_000 }));
        await tx.appendHistory(entry('i2', 1, { at: 20_000 }));
        return tx.instanceTime('i1');
      });
      expect(inside).toBe(9_000);
      await rejectionOf(
        write(async (tx) => {
          await tx.appendHistory(entry('i1', 3, { at: 50_000 }));
          throw new Error('rolled back');
        }),
      );
      // An entry dated at the instance's time again (equal times are allowed) keeps it.
      await write((tx) => tx.appendHistory(entry('i1', 3, { at: 9_000 })));
      expect(await write(async (tx) => [await tx.instanceTime('i1'), await tx.instanceTime('i2'), await tx.instanceTime('i3')])).toEqual([9_000, 20_000, undefined]);
    });

    it('when campaigns have applied events, then the campaign clock is the latest time of its instances, and of every instance without an id', async () => {
      expect(await suite.store.campaignTime()).toBeUndefined();
      await write(async (tx) => {
        await tx.insertInstance(instance('i1', { revision: 2 }));
        await tx.insertInstance(instance('i2'));
        await tx.insertInstance(instance('j1', { campaignId: 'c2', unitPath: '/other/j1/' }));
        await tx.appendHistory(entry('i1', 1, { at: 1_000 }));
        await tx.appendHistory(entry('i1', 2, { at: 3_000 }));
        await tx.appendHistory(entry('i2', 1, { at: 2_000 }));
        await tx.appendHistory(entry('j1', 1, { at: 8_000 }));
      });
      expect(await suite.store.campaignTime('c1')).toBe(3_000);
      expect(await suite.store.campaignTime('c2')).toBe(8_000);
      expect(await suite.store.campaignTime()).toBe(8_000);
      expect(await suite.store.campaignTime('c3')).toBeUndefined();
      await write(async (tx) => {
        await tx.updateInstance(instance('i2', { revision: 2 }), 1);
        await tx.appendHistory(entry('i2', 2, { at: 12_000 }));
      });
      expect(await suite.store.campaignTime('c1')).toBe(12_000);
      expect(await suite.store.campaignTime()).toBe(12_000);
    });
  });
}
