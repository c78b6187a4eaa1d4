import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createEngine, createMemoryStore, EngineError, VirtualClock, type Store, type StoreTransaction } from '@luoshi/engine';
import { organisation, shanghai } from './support/harness.js';

const CAMPAIGN = `
kind: campaign
id: 并发
title: 并发
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles: [{ id: 单位, title: 单位, level: unit }]
actions: [{ id: 诫勉谈话, title: 诫勉谈话, effect: admonish }]
phases:
  - id: 实施
    title: 实施
    window: 1月至12月
    tasks: [{ id: 报送, title: 报送, owner: 单位, due: 6月30日 }]
ladders:
  - { id: 投诉, title: 投诉, on: { event: complaint-verified }, rungs: [{ level: 1, actions: [诫勉谈话] }] }
`;

async function deployed(store: Store, clock: VirtualClock) {
  const v = validateProcessText(CAMPAIGN, { file: 'c.yaml' });
  if (!v.definition) throw new Error('invalid test campaign');
  const engine = createEngine({ store, clock });
  await engine.deploy([v.definition]);
  return engine;
}

/** A store whose `appendHistory` fails once, on the `failOn`-th call (the start writes one per unit and one for the office). */
function flakyStore(inner: Store, failOn: number): Store {
  let calls = 0;
  const wrap = (tx: StoreTransaction): StoreTransaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop === 'appendHistory')
          return async (record: Parameters<StoreTransaction['appendHistory']>[0]) => {
            if (++calls === failOn) throw new Error('disk full');
            return target.appendHistory(record);
          };
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'transaction') return <T>(fn: (tx: StoreTransaction) => Promise<T>) => target.transaction((tx) => fn(wrap(tx)));
      if (prop === 'transactionBatch' && target.transactionBatch)
        return <T>(fns: readonly ((tx: StoreTransaction) => Promise<T>)[]) =>
          target.transactionBatch?.(fns.map((fn) => (tx: StoreTransaction) => fn(wrap(tx))));
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('given two engines on one store', () => {
  it('when both write the same instance in turns, then every event is applied on the latest state', async () => {
    const store = createMemoryStore();
    const clock = new VirtualClock(shanghai('2024-01-02T00:00:00'));
    const a = await deployed(store, clock);
    const b = createEngine({ store, clock });
    await a.startCampaign({ process: '并发', organisation: organisation(1, 1), campaignId: 'c' });
    for (let i = 0; i < 5; i++) {
      await a.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' });
      await b.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' });
    }
    await Promise.all([
      ...Array.from({ length: 10 }, () => a.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' })),
      ...Array.from({ length: 10 }, () => b.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' })),
    ]);
    const member = (await a.subjects('c/u01')).find((s) => s.subject === 'u01-m1');
    expect(member?.ladders.投诉).toBe(30);
    expect((await a.state('c/u01')).revision).toBe(31);
    await expect(b.replay('c/u01')).resolves.toMatchObject({ revision: 31 });
  });

  it('when one engine completed a task the other still holds open, then the other refuses it from the stored state', async () => {
    const store = createMemoryStore();
    const clock = new VirtualClock(shanghai('2024-01-02T00:00:00'));
    const a = await deployed(store, clock);
    const b = createEngine({ store, clock });
    await a.startCampaign({ process: '并发', organisation: organisation(1, 1), campaignId: 'c' });
    await b.send('c/u01', { type: 'task.completed', task: '报送' });
    const refused = await a.send('c/u01', { type: 'task.completed', task: '报送' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).code).toBe('ENGINE_TASK_NOT_OPEN');
    expect((await store.history('c/u01')).map((h) => h.type)).toEqual(['start', 'task.completed']);
  });
});

describe('given a store that fails one write', () => {
  it('when an event fails to commit, then it is refused, nothing of it is kept, and the next event applies on the stored state', async () => {
    const inner = createMemoryStore();
    const clock = new VirtualClock(shanghai('2024-01-02T00:00:00'));
    const engine = await deployed(flakyStore(inner, 4), clock);
    await engine.startCampaign({ process: '并发', organisation: organisation(1, 1), campaignId: 'c' });
    await engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' });
    await expect(engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' })).rejects.toThrow('disk full');
    await engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' });
    expect((await engine.subjects('c/u01')).find((s) => s.subject === 'u01-m1')?.ladders.投诉).toBe(2);
    expect((await inner.history('c/u01')).map((h) => h.revision)).toEqual([1, 2, 3]);
    await expect(engine.replay('c/u01')).resolves.toMatchObject({ revision: 3 });
  });
});
