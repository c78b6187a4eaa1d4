import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError, StoreConflictError } from '../errors/engine-error.js';
import type {
  CampaignRecord,
  DefinitionRecord,
  HistoryRecord,
  InstanceRecord,
  OutboxRecord,
  Store,
  StoreTransaction,
  TimerRecord,
} from '../ports/store.js';

/** Options of the store contract suite. */
export interface StoreContractOptions {
  /** Fail, instead of skipping the group-commit tests, when the store has no `transactionBatch`. */
  readonly requireTransactionBatch?: boolean;
  /** How many writers race in the concurrency tests (8 unless given). */
  readonly writers?: number;
}

const definition = (processId: string, version: number, overrides: Partial<DefinitionRecord> = {}): DefinitionRecord => ({
  processId,
  version,
  hash: `sha256-${processId}-${version}`,
  body: JSON.stringify({ id: processId, version, title: '机关作风建设' }),
  deployedAt: 1_700_000_000_000 + version,
  ...overrides,
});

const campaign = (id: string, overrides: Partial<CampaignRecord> = {}): CampaignRecord => ({
  id,
  processId: 'p-002',
  version: 1,
  year: 2010,
  organisation: JSON.stringify({ id: 'root', title: '市民政局', children: [] }),
  startedAt: 1_262_275_200_000,
  ...overrides,
});

/** An instance record of campaign `c1` for store tests (the contract's own), with `overrides` on top. */
export const instance = (id: string, overrides: Partial<InstanceRecord> = {}): InstanceRecord => ({
  id,
  campaignId: 'c1',
  unitId: `unit-${id}`,
  unitPath: `/root/${id}/`,
  phase: 'mobilise',
  overdue: 0,
  escalated: 0,
  ended: false,
  snapshot: { status: 'active', value: { 动员部署: 'open' }, context: { id } },
  revision: 1,
  ...overrides,
});

const entry = (instanceId: string, revision: number, overrides: Partial<HistoryRecord> = {}): HistoryRecord => ({
  instanceId,
  revision,
  type: 'task.done',
  event: JSON.stringify({ type: 'task.done', task: 'report', at: 1000 + revision }),
  actor: 'clerk-1',
  cause: 'host',
  at: 1_262_275_200_000 + revision,
  state: JSON.stringify({ 组织实施: 'open' }),
  idempotencyKey: null,
  ...overrides,
});

const timer = (instanceId: string, key: string, dueAt: number): TimerRecord => ({ instanceId, key, dueAt });

const effect = (id: string, createdAt: number, instanceId = 'i1'): OutboxRecord => ({
  id,
  instanceId,
  effect: JSON.stringify({ kind: 'notify', to: 'office', text: `提醒 ${id}` }),
  createdAt,
});

const byKey = (timers: readonly TimerRecord[]): TimerRecord[] =>
  [...timers].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

const ids = (records: readonly { readonly id: string }[]): string[] => records.map((record) => record.id);

const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

/** The rejection of `promise`, failing the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved');
}

/**
 * Registers the contract every `Store` must honour as a vitest suite named `name`. `open` is called
 * before each test and must return an empty store; the suite closes it after the test.
 */
export function describeStoreContract(name: string, open: () => Promise<Store>, options: StoreContractOptions = {}): void {
  const writers = options.writers ?? 8;

  describe(`${name} store contract`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    const write = <T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> => store.transaction(fn);

    describe('given definitions', () => {
      it('when versions are deployed out of order, then each reads back and the latest is the highest version', async () => {
        await write(async (tx) => {
          await tx.insertDefinition(definition('p-002', 2));
          await tx.insertDefinition(definition('p-002', 1));
          await tx.insertDefinition(definition('p-004', 1));
        });
        expect(await store.getDefinition('p-002', 1)).toEqual(definition('p-002', 1));
        expect(await store.getDefinition('p-002')).toEqual(definition('p-002', 2));
        expect(await store.getDefinition('p-004')).toEqual(definition('p-004', 1));
        expect((await store.listDefinitions()).map((d) => `${d.processId}@${d.version}`)).toEqual(['p-002@1', 'p-002@2', 'p-004@1']);
        expect(await store.getDefinition('p-002', 3)).toBeUndefined();
        expect(await store.getDefinition('p-000')).toBeUndefined();
        expect(await write((tx) => tx.getDefinition('p-002'))).toEqual(definition('p-002', 2));
      });

      it('when the same process version is deployed twice, then STORE_DUPLICATE is thrown and the first stays', async () => {
        await write((tx) => tx.insertDefinition(definition('p-002', 1)));
        const error = await rejectionOf(write((tx) => tx.insertDefinition(definition('p-002', 1, { hash: 'other' }))));
        expect(error).toBeInstanceOf(EngineError);
        expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'definition' } });
        expect((await store.getDefinition('p-002', 1))?.hash).toBe(definition('p-002', 1).hash);
      });
    });

    describe('given campaigns', () => {
      it('when campaigns are started, then each reads back and they are listed by start time, then id', async () => {
        await write(async (tx) => {
          await tx.insertCampaign(campaign('c2', { startedAt: 2000 }));
          await tx.insertCampaign(campaign('c3', { startedAt: 1000, year: 2011 }));
          await tx.insertCampaign(campaign('c1', { startedAt: 2000 }));
        });
        expect(await store.getCampaign('c3')).toEqual(campaign('c3', { startedAt: 1000, year: 2011 }));
        expect(await store.getCampaign('c9')).toBeUndefined();
        expect(ids(await store.listCampaigns())).toEqual(['c3', 'c1', 'c2']);
        expect(await write((tx) => tx.getCampaign('c1'))).toEqual(campaign('c1', { startedAt: 2000 }));
      });

      it('when a campaign id is reused, then STORE_DUPLICATE is thrown', async () => {
        await write((tx) => tx.insertCampaign(campaign('c1')));
        const error = await rejectionOf(write((tx) => tx.insertCampaign(campaign('c1', { year: 2011 }))));
        expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'campaign', id: 'c1' } });
        expect((await store.getCampaign('c1'))?.year).toBe(2010);
      });
    });

    describe('given instances', () => {
      it('when an instance is written, then every field reads back exactly, including long and Chinese JSON', async () => {
        const snapshot = { value: '整改落实', context: { notes: '落实'.repeat(20_000) } };
        const ended = instance('i1', { phase: 'ended', ended: true, overdue: 3, escalated: 2, revision: 7, snapshot });
        const running = instance('i2');
        await write(async (tx) => {
          await tx.insertInstance(ended);
          await tx.insertInstance(running);
        });
        expect(await store.getInstance('i1')).toEqual(ended);
        expect(await store.getInstance('i2')).toEqual(running);
        expect((await store.getInstance('i2'))?.ended).toBe(false);
        expect(await store.getInstance('nope')).toBeUndefined();
      });

      it('when instances are listed, then only the campaign’s are returned, ordered by unit path', async () => {
        await write(async (tx) => {
          await tx.insertInstance(instance('town', { unitPath: '/root/town/' }));
          await tx.insertInstance(instance('root', { unitPath: '/root/' }));
          await tx.insertInstance(instance('other', { campaignId: 'c2', unitPath: '/root/a/' }));
          await tx.insertInstance(instance('branch', { unitPath: '/root/town/branch/' }));
          await tx.insertInstance(instance('bureau', { unitPath: '/root/bureau/' }));
        });
        expect(ids(await store.listInstances('c1'))).toEqual(['root', 'bureau', 'town', 'branch']);
        expect(ids(await store.listInstances('c2'))).toEqual(['other']);
        expect(await store.listInstances('c3')).toEqual([]);
      });

      it('when an instance id is reused, then STORE_DUPLICATE is thrown and the stored instance is unchanged', async () => {
        await write((tx) => tx.insertInstance(instance('i1')));
        const error = await rejectionOf(write((tx) => tx.insertInstance(instance('i1', { phase: 'rectify' }))));
        expect(error).toBeInstanceOf(EngineError);
        expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'instance', id: 'i1' } });
        expect((await store.getInstance('i1'))?.phase).toBe('mobilise');
      });

      it('when an insert is rejected as a duplicate inside a transaction, then it wrote nothing and the transaction goes on', async () => {
        await write((tx) => tx.insertInstance(instance('i1')));
        await write(async (tx) => {
          await expect(tx.insertInstance(instance('i1', { phase: 'rectify' }))).rejects.toMatchObject({ code: 'STORE_DUPLICATE' });
          await tx.insertInstance(instance('i2'));
        });
        expect((await store.getInstance('i1'))?.phase).toBe('mobilise');
        expect(await store.getInstance('i2')).toEqual(instance('i2'));
      });
    });

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
        expect(await store.timers('a')).toEqual([]);
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
        expect(await store.getInstance('i1')).toEqual(instance('i1'));
        expect(await store.getInstance('i2')).toBeUndefined();
        expect(await store.listInstances('c1')).toEqual([instance('i1')]);
        expect(await store.getCampaign('c1')).toBeUndefined();
        expect(await store.listCampaigns()).toEqual([]);
        expect(await store.getDefinition('p-002')).toBeUndefined();
        expect(await store.history('i1')).toEqual([]);
        expect(await store.timers('i1')).toEqual([timer('i1', 'deadline', 100)]);
        expect(await store.timers('i2')).toEqual([]);
        expect(await store.nextTimer()).toEqual(timer('i1', 'deadline', 100));
        expect(await store.pendingOutbox(10)).toEqual([]);
        expect(await write((tx) => tx.hasIdempotencyKey('i1', 'k1'))).toBe(false);
        await write((tx) => tx.insertInstance(instance('i2')));
        expect(await store.getInstance('i2')).toEqual(instance('i2'));
      });
    });

    describe('given optimistic concurrency', () => {
      it('when the expected revision matches, then the instance is replaced', async () => {
        await write((tx) => tx.insertInstance(instance('i1')));
        const next = instance('i1', { phase: 'rectify', overdue: 1, escalated: 1, ended: true, revision: 2, snapshot: { v: 2 } });
        await write((tx) => tx.updateInstance(next, 1));
        expect(await store.getInstance('i1')).toEqual(next);
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
        expect(await store.getInstance('i1')).toEqual(instance('i1', { revision: 3 }));
        expect(await store.getInstance('i2')).toBeUndefined();
      });

      it('when the instance does not exist, then updating it is a conflict', async () => {
        const error = await rejectionOf(write((tx) => tx.updateInstance(instance('ghost', { revision: 2 }), 1)));
        expect(error).toBeInstanceOf(StoreConflictError);
        expect(await store.getInstance('ghost')).toBeUndefined();
      });

      it(`when ${writers} writers race from one stale read and retry on conflict, then no update is lost`, async () => {
        await write((tx) => tx.insertInstance(instance('i1')));
        const stale = (await store.getInstance('i1')) as InstanceRecord;
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
              current = (await store.getInstance('i1')) as InstanceRecord;
            }
          }
        };
        await Promise.all(range(writers).map(writer));
        const final = await store.getInstance('i1');
        expect(final?.revision).toBe(1 + writers);
        expect(final?.overdue).toBe(writers);
        expect((await store.history('i1')).map((record) => record.revision)).toEqual(range(writers).map((n) => n + 2));
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
        expect(await store.getInstance('i1')).toMatchObject({ revision: 1 + writers, overdue: writers });
      });
    });

    describe('given history', () => {
      it('when entries are appended out of order, then history lists them by revision, per instance', async () => {
        await write(async (tx) => {
          await tx.appendHistory(entry('i1', 3));
          await tx.appendHistory(entry('i1', 1, { actor: null, cause: 'start', type: 'xstate.init' }));
          await tx.appendHistory(entry('i2', 1));
        });
        await write((tx) => tx.appendHistory(entry('i1', 2, { idempotencyKey: 'k-2', cause: 'timer' })));
        expect(await store.history('i1')).toEqual([
          entry('i1', 1, { actor: null, cause: 'start', type: 'xstate.init' }),
          entry('i1', 2, { idempotencyKey: 'k-2', cause: 'timer' }),
          entry('i1', 3),
        ]);
        expect(await store.history('i2')).toEqual([entry('i2', 1)]);
        expect(await store.history('i3')).toEqual([]);
      });

      it('when a revision is appended twice, then STORE_DUPLICATE is thrown and the first entry stays', async () => {
        await write((tx) => tx.appendHistory(entry('i1', 1)));
        const error = await rejectionOf(write((tx) => tx.appendHistory(entry('i1', 1, { type: 'other' }))));
        expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'history entry' } });
        expect(await store.history('i1')).toEqual([entry('i1', 1)]);
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
        expect((await store.history('i1')).map((record) => [record.revision, record.idempotencyKey])).toEqual([
          [2, 'k1'],
          [3, null],
          [4, null],
        ]);
        expect(await store.history('i2')).toHaveLength(1);
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
        expect(await store.campaignTime()).toBeUndefined();
        await write(async (tx) => {
          await tx.insertInstance(instance('i1', { revision: 2 }));
          await tx.insertInstance(instance('i2'));
          await tx.insertInstance(instance('j1', { campaignId: 'c2', unitPath: '/other/j1/' }));
          await tx.appendHistory(entry('i1', 1, { at: 1_000 }));
          await tx.appendHistory(entry('i1', 2, { at: 3_000 }));
          await tx.appendHistory(entry('i2', 1, { at: 2_000 }));
          await tx.appendHistory(entry('j1', 1, { at: 8_000 }));
        });
        expect(await store.campaignTime('c1')).toBe(3_000);
        expect(await store.campaignTime('c2')).toBe(8_000);
        expect(await store.campaignTime()).toBe(8_000);
        expect(await store.campaignTime('c3')).toBeUndefined();
        await write(async (tx) => {
          await tx.updateInstance(instance('i2', { revision: 2 }), 1);
          await tx.appendHistory(entry('i2', 2, { at: 12_000 }));
        });
        expect(await store.campaignTime('c1')).toBe(12_000);
        expect(await store.campaignTime()).toBe(12_000);
      });
    });

    describe('given timers', () => {
      it('when timers are replaced, then new ones are inserted, changed ones moved and missing ones deleted, per instance', async () => {
        await write(async (tx) => {
          await tx.replaceTimers('i1', [timer('i1', 'a', 100), timer('i1', 'b', 200)]);
          await tx.replaceTimers('i2', [timer('i2', 'a', 100)]);
        });
        expect(byKey(await store.timers('i1'))).toEqual([timer('i1', 'a', 100), timer('i1', 'b', 200)]);
        await write((tx) => tx.replaceTimers('i1', [timer('i1', 'a', 150), timer('i1', 'c', 300)]));
        expect(byKey(await store.timers('i1'))).toEqual([timer('i1', 'a', 150), timer('i1', 'c', 300)]);
        expect(await store.timers('i2')).toEqual([timer('i2', 'a', 100)]);
        await write((tx) => tx.replaceTimers('i1', []));
        expect(await store.timers('i1')).toEqual([]);
        expect(await store.timers('i2')).toEqual([timer('i2', 'a', 100)]);
      });

      it('when the caller passes the previous set, then the timers end up as when the store reads it', async () => {
        // Instance `a` is diffed against what the store holds, `b` against the set passed last.
        const steps: readonly (readonly [string, number])[][] = [
          [['x', 100], ['y', 200]],
          [['x', 150], ['z', 300]],
          [['x', 150], ['z', 300]],
          [['z', 300]],
          [['z', 300], ['z', 350], ['w', 50]],
          [],
          [['v', 75]],
        ];
        const as = (instanceId: string, step: readonly (readonly [string, number])[]): TimerRecord[] =>
          step.map(([key, dueAt]) => timer(instanceId, key, dueAt));
        const shape = (timers: readonly TimerRecord[]): string[] => timers.map((t) => `${t.key}@${t.dueAt}`);
        let previous: TimerRecord[] = [];
        for (const step of steps) {
          await write(async (tx) => {
            await tx.replaceTimers('a', as('a', step));
            await tx.replaceTimers('b', as('b', step), previous);
          });
          previous = as('b', step);
          expect(shape(await store.timers('b'))).toEqual(shape(await store.timers('a')));
        }
        // A claim inside the transaction changes what the caller knows the instance has.
        await write(async (tx) => {
          await tx.replaceTimers('a', as('a', [['u', 10], ['v', 75]]));
          await tx.replaceTimers('b', as('b', [['u', 10], ['v', 75]]), previous);
          expect(await tx.claimTimer(timer('a', 'u', 10))).toBe(true);
          expect(await tx.claimTimer(timer('b', 'u', 10))).toBe(true);
          await tx.replaceTimers('a', as('a', [['v', 80]]));
          await tx.replaceTimers('b', as('b', [['v', 80]]), as('b', [['v', 75]]));
        });
        expect(await store.timers('a')).toEqual([timer('a', 'v', 80)]);
        expect(await store.timers('b')).toEqual([timer('b', 'v', 80)]);
        expect(await store.dueTimers(1000, 10)).toEqual([timer('a', 'v', 80), timer('b', 'v', 80)]);
        expect(await store.nextTimer()).toEqual(timer('a', 'v', 80));
      });

      it('when timers are patched, then only the named keys change, per instance, and unknown keys are no error', async () => {
        await write(async (tx) => {
          await tx.replaceTimers('i1', [timer('i1', 'a', 100), timer('i1', 'b', 200), timer('i1', 'c', 300)]);
          await tx.replaceTimers('i2', [timer('i2', 'a', 100)]);
        });
        await write((tx) => tx.patchTimers('i1', [timer('i1', 'b', 250), timer('i1', 'd', 50)], ['c', 'never-there']));
        expect(byKey(await store.timers('i1'))).toEqual([timer('i1', 'a', 100), timer('i1', 'b', 250), timer('i1', 'd', 50)]);
        expect(await store.timers('i2')).toEqual([timer('i2', 'a', 100)]);
        expect(await store.nextTimer()).toEqual(timer('i1', 'd', 50));
        expect(await store.dueTimers(100, 10)).toEqual([timer('i1', 'd', 50), timer('i1', 'a', 100), timer('i2', 'a', 100)]);
        // A patch of an instance without timers creates them; removing every key leaves none.
        await write((tx) => tx.patchTimers('i3', [timer('i3', 'x', 10)], []));
        expect(await store.nextTimer()).toEqual(timer('i3', 'x', 10));
        await write((tx) => tx.patchTimers('i3', [], ['x']));
        expect(await store.timers('i3')).toEqual([]);
        expect(await store.nextTimer()).toEqual(timer('i1', 'd', 50));
      });

      it('when patches, replacements and claims mix across transactions, some rolled back, then the timers are what they imply', async () => {
        // A seeded sequence checked against a plain model: the timers, the due list and the next timer after every commit or rollback.
        let seed = 7;
        const next = (n: number): number => {
          seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
          return seed % n;
        };
        const model = new Map<string, Map<string, number>>(['p', 'q'].map((id) => [id, new Map<string, number>()]));
        const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
        const listed = (id: string, timers: ReadonlyMap<string, number>): TimerRecord[] =>
          [...timers].map(([key, dueAt]) => timer(id, key, dueAt)).sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : 1));
        for (let round = 0; round < 60; round++) {
          const draft = new Map([...model].map(([id, timers]) => [id, new Map(timers)]));
          const rollBack = next(5) === 0;
          const failure = new Error('rolled back');
          const outcome = write(async (tx) => {
            for (let op = 0; op < 3; op++) {
              const id = next(2) === 0 ? 'p' : 'q';
              const mine = draft.get(id) as Map<string, number>;
              const kind = next(6);
              if (kind < 4) {
                const put = [keys[next(5)] as string].map((key) => timer(id, key, 100 + next(50) * 10));
                const remove = next(2) === 0 ? [keys[next(5)] as string] : [];
                await tx.patchTimers(id, put, remove);
                for (const key of remove) mine.delete(key);
                for (const t of put) mine.set(t.key, t.dueAt);
              } else if (kind === 4) {
                const replaced = [keys[next(5)] as string, keys[next(5)] as string].map((key) => timer(id, key, 100 + next(50) * 10));
                await tx.replaceTimers(id, replaced);
                mine.clear();
                for (const t of replaced) mine.set(t.key, t.dueAt);
              } else {
                const all = listed('p', draft.get('p') as Map<string, number>).concat(listed('q', draft.get('q') as Map<string, number>));
                const first = all.sort((a, b) => a.dueAt - b.dueAt || (a.instanceId < b.instanceId ? -1 : 1) || (a.key < b.key ? -1 : 1))[0];
                if (first !== undefined) {
                  expect(await tx.claimTimer(first)).toBe(true);
                  draft.get(first.instanceId)?.delete(first.key);
                }
              }
            }
            if (rollBack) throw failure;
          });
          if (rollBack) expect(await rejectionOf(outcome)).toBe(failure);
          else {
            await outcome;
            for (const [id, timers] of draft) model.set(id, timers);
          }
          for (const [id, timers] of model) expect(byKey(await store.timers(id))).toEqual(byKey(listed(id, timers)));
          const due = listed('p', model.get('p') as Map<string, number>)
            .concat(listed('q', model.get('q') as Map<string, number>))
            .sort((a, b) => a.dueAt - b.dueAt || (a.instanceId < b.instanceId ? -1 : 1) || (a.key < b.key ? -1 : 1));
          expect(await store.dueTimers(10_000, 100)).toEqual(due);
          expect(await store.nextTimer()).toEqual(due[0]);
        }
      });

      it('when one key is given twice, then the last one wins', async () => {
        await write((tx) => tx.replaceTimers('i1', [timer('i1', 'a', 100), timer('i1', 'a', 250)]));
        expect(await store.timers('i1')).toEqual([timer('i1', 'a', 250)]);
      });

      it('when timers are due, then dueTimers lists them by due time, instance and key, up to the limit', async () => {
        await write(async (tx) => {
          await tx.replaceTimers('i2', [timer('i2', 'x', 100)]);
          await tx.replaceTimers('i1', [timer('i1', 'y', 100), timer('i1', 'x', 100), timer('i1', 'z', 300)]);
          await tx.replaceTimers('i3', [timer('i3', 'a', 50)]);
        });
        const due = [timer('i3', 'a', 50), timer('i1', 'x', 100), timer('i1', 'y', 100), timer('i2', 'x', 100)];
        expect(await store.dueTimers(100, 10)).toEqual(due);
        expect(await store.dueTimers(100, 10)).toEqual(due);
        expect(await store.dueTimers(100, 2)).toEqual(due.slice(0, 2));
        expect(await store.dueTimers(49, 10)).toEqual([]);
        expect(await store.dueTimers(1000, 10)).toEqual([...due, timer('i1', 'z', 300)]);
      });

      it('when timers move, then nextTimer and dueTimers follow, and a timer moved back is listed once', async () => {
        expect(await store.nextTimer()).toBeUndefined();
        await write(async (tx) => {
          await tx.replaceTimers('i1', [timer('i1', 'x', 100)]);
          await tx.replaceTimers('i3', [timer('i3', 'a', 50)]);
        });
        expect(await store.nextTimer()).toEqual(timer('i3', 'a', 50));
        await write((tx) => tx.replaceTimers('i3', [timer('i3', 'a', 400)]));
        expect(await store.nextTimer()).toEqual(timer('i1', 'x', 100));
        await write((tx) => tx.replaceTimers('i3', [timer('i3', 'a', 50)]));
        expect(await store.dueTimers(1000, 10)).toEqual([timer('i3', 'a', 50), timer('i1', 'x', 100)]);
        await write((tx) => tx.claimTimer(timer('i3', 'a', 50)));
        expect(await store.nextTimer()).toEqual(timer('i1', 'x', 100));
        await write((tx) => tx.replaceTimers('i1', []));
        expect(await store.nextTimer()).toBeUndefined();
        expect(await store.dueTimers(1000, 10)).toEqual([]);
      });

      it('when a timer is claimed, then the claim succeeds once and fails for another due time or an unknown timer', async () => {
        await write((tx) => tx.replaceTimers('i1', [timer('i1', 'deadline', 100), timer('i1', 'remind', 100)]));
        expect(await write((tx) => tx.claimTimer(timer('i1', 'remind', 200)))).toBe(false);
        expect(await write((tx) => tx.claimTimer(timer('i1', 'ghost', 100)))).toBe(false);
        expect(await write((tx) => tx.claimTimer(timer('i9', 'deadline', 100)))).toBe(false);
        expect(await store.timers('i1')).toHaveLength(2);
        expect(await write((tx) => tx.claimTimer(timer('i1', 'deadline', 100)))).toBe(true);
        expect(await write((tx) => tx.claimTimer(timer('i1', 'deadline', 100)))).toBe(false);
        expect(await store.timers('i1')).toEqual([timer('i1', 'remind', 100)]);
        expect(await store.dueTimers(100, 10)).toEqual([timer('i1', 'remind', 100)]);
      });

      it('when an instance has an earlier timer, then its later timer is refused until the earlier one is claimed', async () => {
        await write(async (tx) => {
          await tx.replaceTimers('c1/u1', [timer('c1/u1', 'b', 100), timer('c1/u1', 'a', 200), timer('c1/u1', 'c', 100)]);
          await tx.replaceTimers('c1/u2', [timer('c1/u2', 'x', 300)]);
        });
        const claim = (t: TimerRecord) => write((tx) => tx.claimTimer(t));
        expect(await claim(timer('c1/u1', 'a', 200))).toBe(false);
        expect(await claim(timer('c1/u1', 'c', 100))).toBe(false);
        // Another instance of the campaign is not held back.
        expect(await claim(timer('c1/u2', 'x', 300))).toBe(true);
        expect(await store.timers('c1/u1')).toHaveLength(3);
        expect(await claim(timer('c1/u1', 'b', 100))).toBe(true);
        expect(await claim(timer('c1/u1', 'a', 200))).toBe(false);
        // Within one transaction the rule sees the transaction's own claims, and a refusal writes nothing.
        expect(
          await write(async (tx) => [await tx.claimTimer(timer('c1/u1', 'a', 200)), await tx.claimTimer(timer('c1/u1', 'c', 100)), await tx.claimTimer(timer('c1/u1', 'a', 200))]),
        ).toEqual([false, true, true]);
        expect(await store.timers('c1/u1')).toEqual([]);
      });

      it('when a campaign-wide timer is due, then it waits for its instances’ earlier timers and holds back their later ones', async () => {
        await write(async (tx) => {
          await tx.replaceTimers('c1', [timer('c1', 'ranking:q1', 150), timer('c1', 'ranking:q2', 400)]);
          await tx.replaceTimers('c1/u1', [timer('c1/u1', 'a', 100), timer('c1/u1', 'b', 200), timer('c1/u1', 'q', 400)]);
          await tx.replaceTimers('c1/u2', [timer('c1/u2', 'a', 150)]);
          // Other campaigns, including ids that share a prefix or differ only in case, are not related.
          await tx.replaceTimers('c10/u1', [timer('c10/u1', 'a', 10)]);
          await tx.replaceTimers('C1/u1', [timer('C1/u1', 'a', 10)]);
          await tx.replaceTimers('c2', [timer('c2', 'ranking:q1', 10)]);
        });
        const claim = (t: TimerRecord) => write((tx) => tx.claimTimer(t));
        expect(await claim(timer('c1', 'ranking:q1', 150))).toBe(false); // c1/u1 a@100 is earlier
        expect(await claim(timer('c1/u1', 'b', 200))).toBe(false); // a@100 and the ranking@150 are earlier
        expect(await claim(timer('c1/u1', 'a', 100))).toBe(true);
        expect(await claim(timer('c1/u1', 'b', 200))).toBe(false); // the ranking@150 is earlier
        // Equal due times order by instance id: the campaign id sorts before its instances' ids.
        expect(await claim(timer('c1/u2', 'a', 150))).toBe(false);
        expect(await claim(timer('c1', 'ranking:q1', 150))).toBe(true);
        expect(await claim(timer('c1/u2', 'a', 150))).toBe(true);
        expect(await claim(timer('c1', 'ranking:q2', 400))).toBe(false); // c1/u1 b@200 is earlier
        expect(await claim(timer('c1/u1', 'b', 200))).toBe(true);
        expect(await claim(timer('c1/u1', 'q', 400))).toBe(false); // the ranking@400 sorts first
        expect(await claim(timer('c1', 'ranking:q2', 400))).toBe(true);
        expect(await claim(timer('c1/u1', 'q', 400))).toBe(true);
        expect(await store.dueTimers(1000, 10)).toEqual([timer('C1/u1', 'a', 10), timer('c10/u1', 'a', 10), timer('c2', 'ranking:q1', 10)]);
      });

      it('when two transactions claim the same timer at once, then exactly one gets it', async () => {
        await write((tx) => tx.replaceTimers('i1', [timer('i1', 'deadline', 100)]));
        const claims = await Promise.all(range(writers).map(() => write((tx) => tx.claimTimer(timer('i1', 'deadline', 100)))));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.timers('i1')).toEqual([]);
      });
    });

    describe('given the outbox', () => {
      it('when effects are added, then pending lists them by creation time, then insertion order, up to the limit', async () => {
        await write((tx) => tx.addOutbox([effect('o1', 200), effect('o2', 100), effect('o3', 200)]));
        await write((tx) => tx.addOutbox([effect('o4', 100), effect('o5', 50, 'i2')]));
        expect(await store.pendingOutbox(10)).toEqual([
          effect('o5', 50, 'i2'),
          effect('o2', 100),
          effect('o4', 100),
          effect('o1', 200),
          effect('o3', 200),
        ]);
        expect(ids(await store.pendingOutbox(2))).toEqual(['o5', 'o2']);
      });

      it('when effects are marked delivered, then they leave the pending list; unknown ids are ignored', async () => {
        await write((tx) => tx.addOutbox([effect('o1', 100), effect('o2', 200), effect('o3', 300)]));
        await store.markDelivered(['o2', 'o1', 'unknown'], 500);
        expect(ids(await store.pendingOutbox(10))).toEqual(['o3']);
        await store.markDelivered(['o1'], 600);
        await store.markDelivered([], 700);
        expect(ids(await store.pendingOutbox(10))).toEqual(['o3']);
        await write((tx) => tx.addOutbox([effect('o4', 50)]));
        expect(ids(await store.pendingOutbox(10))).toEqual(['o4', 'o3']);
      });

      it('when an effect id is reused, then STORE_DUPLICATE is thrown and none of that call’s effects are added', async () => {
        await write((tx) => tx.addOutbox([effect('o1', 100)]));
        await write(async (tx) => {
          const error = await rejectionOf(tx.addOutbox([effect('o2', 100), effect('o1', 150)]));
          expect(error).toMatchObject({ code: 'STORE_DUPLICATE', details: { kind: 'outbox entry', id: 'o1' } });
          await tx.addOutbox([effect('o3', 100)]);
        });
        expect(ids(await store.pendingOutbox(10))).toEqual(['o1', 'o3']);
      });
    });

    describe('given group commit (transactionBatch)', () => {
      it('when one function of a batch fails, then it alone rolls back and the others commit together', async (context) => {
        const batch = store.transactionBatch?.bind(store);
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
        expect(await store.getInstance('a')).toEqual(instance('a'));
        expect(await store.getInstance('b')).toBeUndefined();
        expect(await store.getInstance('c')).toEqual(instance('c'));
        expect(await store.timers('b')).toEqual([]);
        expect(await store.timers('a')).toEqual([timer('a', 'remind', 5), timer('a', 'deadline', 10)]);
        expect(await store.history('a0')).toEqual([]);
        expect(ids(await store.pendingOutbox(10))).toEqual(['o-a']);
      });

      it('when a batch is empty, then it commits nothing and returns no outcomes', async (context) => {
        if (store.transactionBatch === undefined) {
          expect(options.requireTransactionBatch ?? false, `${name} must implement transactionBatch`).toBe(false);
          context.skip();
          return;
        }
        expect(await store.transactionBatch([])).toEqual([]);
        await write((tx) => tx.insertInstance(instance('i1')));
        expect(await store.getInstance('i1')).toEqual(instance('i1'));
      });
    });
  });
}
