import { describe, expect, it } from 'vitest';
import { type ContractSuite, effect, ids, instance, rejectionOf } from './contract-fixtures.js';

/** The outbox of effects (待发效果): pending order, delivery, duplicates; and closing the store. */
export function outboxContract(suite: ContractSuite): void {
  const { write } = suite;

  describe('given the outbox', () => {
    it('when effects are added, then pending lists them by creation time, then insertion order, up to the limit', async () => {
      await write((tx) => tx.addOutbox([effect('o1', 200), effect('o2', 100), effect('o3', 200)]));
      await write((tx) => tx.addOutbox([effect('o4', 100), effect('o5', 50, 'i2')]));
      expect(await suite.store.pendingOutbox(10)).toEqual([
        effect('o5', 50, 'i2'),
        effect('o2', 100),
        effect('o4', 100),
        effect('o1', 200),
        effect('o3', 200),
      ]);
      expect(ids(await suite.store.pendingOutbox(2))).toEqual(['o5', 'o2']);
    });

    it('when effects are marked delivered, then they leave the pending list; unknown ids are ignored', async () => {
      await write((tx) => tx.addOutbox([effect('o1', 100), effect('o2', 200), effect('o3', 300)]));
      await suite.store.markDelivered(['o2', 'o1', 'unknown'], 500);
      expect(ids(await suite.store.pendingOutbox(10))).toEqual(['o3']);
      await suite.store.markDelivered(['o1'], 600);
      await suite.store.markDelivered([], 700);
      expect(ids(await suite.store.pendingOutbox(10))).toEqual(['o3']);
      await write((tx) => tx.addOutbox([effect('o4', 50)]));
      expect(ids(await suite.store.pendingOutbox(10))).toEqual(['o4', 'o3']);
    });

    it('when an effect id is reused, then STORE_DUPLICATE is thrown and none of that call’s effects are added', async () => {
      await write((tx) => tx.addOutbox([effect('o1', 100)]));
      await write(async (tx) => {
        const error = await rejectionOf(tx.addOutbox([effect('o2', 100), effect('o1', 150)]));
        expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'outbox entry', id: 'o1' } });
        await tx.addOutbox([effect('o3', 100)]);
      });
      expect(ids(await suite.store.pendingOutbox(10))).toEqual(['o1', 'o3']);
    });

    it('when an effect was delivered, then its id is still refused as a duplicate and delivery never brings it back', async () => {
      await write((tx) => tx.addOutbox([effect('o1', 100), effect('o2', 200)]));
      await suite.store.markDelivered(['o1'], 500);
      const error = await rejectionOf(write((tx) => tx.addOutbox([effect('o1', 300)])));
      expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'outbox entry', id: 'o1' } });
      await suite.store.markDelivered(['o1', 'o2'], 600);
      expect(await suite.store.pendingOutbox(10)).toEqual([]);
      expect(await rejectionOf(write((tx) => tx.addOutbox([effect('o2', 300)])))).toMatchObject({ code: 'STORE_DUPLICATE' });
    });

    it('when no effect is asked for, then pendingOutbox returns none', async () => {
      await write((tx) => tx.addOutbox([effect('o1', 100)]));
      expect(await suite.store.pendingOutbox(0)).toEqual([]);
      expect(await suite.store.pendingOutbox(1)).toEqual([effect('o1', 100)]);
    });
  });

  describe('given a store being closed', () => {
    it('when a transaction has committed, then close resolves, and closing again is no error', async () => {
      await write((tx) => tx.insertInstance(instance('i1')));
      await suite.store.close();
      await suite.store.close();
    });
  });
}
