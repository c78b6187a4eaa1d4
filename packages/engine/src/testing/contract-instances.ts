import { describe, expect, it } from 'vitest';
import { EngineError, StoreConflictError } from '../errors/engine-error.js';
import type { InstanceRecord } from '../ports/store.js';
import { type ContractSuite, entry, ids, instance, range, rejectionOf } from './contract-fixtures.js';

/** Instances (实例) and their revisions: every field read back, listing by unit path, duplicates, optimistic concurrency. */
export function instancesContract(suite: ContractSuite): void {
  const { write, writers } = suite;

  describe('given instances', () => {
    it('when an instance is written, then every field reads back exactly, including long and Chinese JSON', async () => {
      const snapshot = { value: '整改落实', context: { notes: '落实'.repeat(20_000) } };
      const ended = instance('i1', { phase: 'ended', ended: true, overdue: 3, escalated: 2, revision: 7, snapshot });
      const running = instance('i2');
      await write(async (tx) => {
        await tx.insertInstance(ended);
        await tx.insertInstance(running);
      });
      expect(await suite.store.getInstance('i1')).toEqual(ended);
      expect(await suite.store.getInstance('i2')).toEqual(running);
      expect((await suite.store.getInstance('i2'))?.ended).toBe(false);
      expect(await suite.store.getInstance('nope')).toBeUndefined();
    });

    it('when instances are listed, then only the campaign’s are returned, ordered by unit path', async () => {
      await write(async (tx) => {
        await tx.insertInstance(instance('town', { unitPath: '/root/town/' }));
        await tx.insertInstance(instance('root', { unitPath: '/root/' }));
        await tx.insertInstance(instance('other', { campaignId: 'c2', unitPath: '/root/a/' }));
        await tx.insertInstance(instance('branch', { unitPath: '/root/town/branch/' }));
        await tx.insertInstance(instance('bureau', { unitPath: '/root/bureau/' }));
      });
      expect(ids(await suite.store.listInstances('c1'))).toEqual(['root', 'bureau', 'town', 'branch']);
      expect(ids(await suite.store.listInstances('c2'))).toEqual(['other']);
      expect(await suite.store.listInstances('c3')).toEqual([]);
    });

    it('when an instance id is reused, then STORE_DUPLICATE is thrown and the stored instance is unchanged', async () => {
      await write((tx) => tx.insertInstance(instance('i1')));
      const error = await rejectionOf(write((tx) => tx.insertInstance(instance('i1', { phase: 'rectify' }))));
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'instance', id: 'i1' } });
      expect((await suite.store.getInstance('i1'))?.phase).toBe('mobilise');
    });

    it('when an insert is rejected as a duplicate inside a transaction, then it wrote nothing and the transaction goes on', async () => {
      await write((tx) => tx.insertInstance(instance('i1')));
      await write(async (tx) => {
        await expect(tx.insertInstance(instance('i1', { phase: 'rectify' }))).rejects.toMatchObject({ code: 'STORE_DUPLICATE' });
        await tx.insertInstance(instance('i2'));
      });
      expect((await suite.store.getInstance('i1'))?.phase).toBe('mobilise');
      expect(await suite.store.getInstance('i2')).toEqual(instance('i2'));
    });
  });

  describe('given optimistic concurrency', () => {
    it('when the expected revision matches, then the instance is replaced', async () => {
      await write((tx) => tx.insertInstance(instance('i1')));
      const next = instance('i1', { phase: 'rectify', overdue: 1, escalated: 1, ended: true, revision: 2, snapshot: { v: 2 } });
      await write((tx) => tx.updateInstance(next, 1));
      expect(await suite.store.getInstance('i1')).toEqual(next);
    });

    it('when the stored revision differs, then StoreConflictError is thrown and nothing of the transaction is written', async () => {
      await write((tx) => tx.insertInstance(instance('i1', { revision: 3 })));
      const error = await rejectionOf(
        write(async (tx) => {
          await tx.insertInstance(instance('i2'));
          await tx.updateInstance(instance('i1', { phase: 'rectify', revision: 3 }), 2);
        }),
      );
      expect(error).toBeInstanceOf(StoreConflictError);
      expect(error).toMatchObject({ code: 'STORE_REVISION_CONFLICT', details: { id: 'i1', expected: 2 } });
      expect(await suite.store.getInstance('i1')).toEqual(instance('i1', { revision: 3 }));
      expect(await suite.store.getInstance('i2')).toBeUndefined();
    });

    it('when the instance does not exist, then updating it is a conflict', async () => {
      const error = await rejectionOf(write((tx) => tx.updateInstance(instance('ghost', { revision: 2 }), 1)));
      expect(error).toBeInstanceOf(StoreConflictError);
      expect(await suite.store.getInstance('ghost')).toBeUndefined();
    });

    it(`when ${writers} writers race from one stale read and retry on conflict, then no update is lost`, async () => {
      await write((tx) => tx.insertInstance(instance('i1')));
      const stale = (await suite.store.getInstance('i1')) as InstanceRecord;
      let conflicts = 0;
      const writer = async (n: number): Promise<void> => {
        let current = stale;
        for (let attempt = 0; ; attempt++) {
          try {
            await write(async (tx) => {
              const next = { ...current, revision: current.revision + 1, overdue: current.overdue + 1 };
              await tx.updateInstance(next, current.revision);
              await tx.appendHistory(entry('i1', next.revision, { idempotencyKey: `writer-${n}` }));
            });
            return;
          } catch (error) {
            if (!(error instanceof StoreConflictError) || attempt > writers * 4) throw error;
            conflicts++;
            current = (await suite.store.getInstance('i1')) as InstanceRecord;
          }
        }
      };
      await Promise.all(range(writers).map(writer));
      const final = await suite.store.getInstance('i1');
      expect(final?.revision).toBe(1 + writers);
      expect(final?.overdue).toBe(writers);
      expect((await suite.store.history('i1')).map((record) => record.revision)).toEqual(range(writers).map((n) => n + 2));
      expect(conflicts).toBeGreaterThanOrEqual(writers - 1);
    });

    it(`when ${writers} transactions each read and update the instance inside the transaction, then no update is lost`, async () => {
      await write((tx) => tx.insertInstance(instance('i1')));
      const bump = async (): Promise<void> => {
        for (let attempt = 0; ; attempt++) {
          try {
            await write(async (tx) => {
              const current = (await tx.getInstance('i1')) as InstanceRecord;
              await tx.updateInstance({ ...current, revision: current.revision + 1, overdue: current.overdue + 1 }, current.revision);
            });
            return;
          } catch (error) {
            if (!(error instanceof StoreConflictError) || attempt > writers * 4) throw error;
          }
        }
      };
      await Promise.all(range(writers).map(bump));
      expect(await suite.store.getInstance('i1')).toMatchObject({ revision: 1 + writers, overdue: writers });
    });
  });
}
