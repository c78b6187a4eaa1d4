import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createEngine, createMemoryStore, EngineError, VirtualClock, type Effect, type Engine, type HostEvent, type Store } from '@luoshi/engine';
import { organisation, shanghai } from './support/harness.js';

const CAMPAIGN = `
kind: campaign
id: 同步
title: 同步
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles: [{ id: 单位, title: 单位, level: unit }]
actions: [{ id: 诫勉谈话, title: 诫勉谈话, effect: admonish }, { id: 通报批评, title: 通报批评, effect: criticise }]
phases:
  - id: 实施
    title: 实施
    window: 1月至6月
    tasks:
      - { id: 报送, title: 报送, owner: 单位, due: 3月31日 }
      - { id: 年中报告, title: 年中报告, owner: 单位, due: 5月31日 }
  - id: 总结
    title: 总结
    window: 7月至12月
ladders:
  - id: 投诉
    title: 投诉
    on: { event: complaint-verified }
    rungs: [{ level: 1, actions: [诫勉谈话] }, { level: 2, actions: [通报批评] }]
`;

async function started(store: Store, delivered: Effect[]): Promise<{ engine: Engine; clock: VirtualClock }> {
  const v = validateProcessText(CAMPAIGN, { file: 'c.yaml' });
  if (!v.definition) throw new Error('invalid test campaign');
  const clock = new VirtualClock(shanghai('2024-01-02T00:00:00'));
  const engine = createEngine({ store, clock, effects: { deliver: (e) => void delivered.push(e) } });
  await engine.deploy([v.definition]);
  await engine.startCampaign({ process: '同步', organisation: organisation(2, 2), campaignId: 'c' });
  return { engine, clock };
}

describe('given an effects sink and a delivery round under way', () => {
  it('when an effect is committed after the round has read an empty outbox, then the promise its sender gets resolves only once it is delivered', async () => {
    const inner = createMemoryStore();
    let release: (() => void) | undefined;
    let held = false;
    // The first empty read is held back, as a slow database would: the round has seen nothing left but has not ended.
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'pendingOutbox')
          return async (limit: number) => {
            const pending = await target.pendingOutbox(limit);
            if (pending.length === 0 && !held) {
              held = true;
              await new Promise<void>((resolve) => (release = resolve));
            }
            return pending;
          };
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const delivered: Effect[] = [];
    const { engine } = await started(store, delivered);
    await engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' });
    while (release === undefined) await new Promise((r) => setImmediate(r));
    await engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m2' });
    const done = engine.deliverEffects();
    release();
    await done;
    expect(delivered.map((e) => e.memberId)).toEqual(['u01-m1', 'u01-m2']);
    await engine.close();
  });
});

/** What a failing store saw: transactions by kind, and the errors thrown out of those taken at once. */
interface Seen {
  async: number;
}

/**
 * The store with the first step of `instanceId` caused by `cause` failing as its history entry is
 * written; `seen` counts the transactions taken.
 */
function failingStepOf(inner: Store, instanceId: string, cause: 'timer' | 'host', seen: Seen): Store {
  let failed = false;
  const failing = <T extends object>(tx: T): T =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'appendHistory' || typeof value !== 'function') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        return (record: { instanceId: string; cause: string }) => {
          if (!failed && record.instanceId === instanceId && record.cause === cause) {
            failed = true;
            throw new Error('disk full');
          }
          return (value as (r: unknown) => unknown).call(target, record);
        };
      },
    });
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'transaction')
        return <T>(fn: (tx: never) => Promise<T>) => {
          seen.async++;
          return target.transaction((tx) => fn(failing(tx) as never));
        };
      if (prop === 'transactionBatch' && target.transactionBatch)
        return <T>(fns: readonly ((tx: never) => Promise<T>)[]) => {
          seen.async++;
          return target.transactionBatch?.(fns.map((fn) => (tx) => fn(failing(tx) as never)));
        };
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const nothingSeen = (): Seen => ({ async: 0 });

describe('given two units whose deadlines pass at the same instant, and a store that fails the first unit’s step once', () => {
  {
    it('when the due timers run, then the round (one batch, a savepoint each) fires the other unit’s, fails with the error, and the next round fires the first', async () => {
      const seen = nothingSeen();
      const { engine, clock } = await started(failingStepOf(createMemoryStore(), 'c/u01', 'timer', seen), []);
      clock.advanceTo(shanghai('2024-04-01T00:00:00'));
      const before = { ...seen };
      await expect(engine.runDueTimers()).rejects.toThrow('disk full');
      expect(seen.async - before.async).toBe(1);
      const overdue = async (id: string) => (await engine.tasks(id)).find((t) => t.item === '报送')?.status;
      expect(await overdue('c/u02')).toBe('overdue');
      expect(await overdue('c/u01')).toBe('open');
      expect(await engine.runDueTimers()).toBeGreaterThan(0);
      expect(await overdue('c/u01')).toBe('overdue');
      await expect(engine.replay('c/u01')).resolves.toBeTruthy();
      await engine.close();
    });
  }
});

describe('given a store in memory that fails one event’s write', () => {
  it('when the next event comes for that unit, then it is applied on the stored state, its cached state dropped rather than found ahead of the store', async () => {
    const seen = nothingSeen();
    const { engine } = await started(failingStepOf(createMemoryStore(), 'c/u01', 'host', seen), []);
    await expect(engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' })).rejects.toThrow('disk full');
    await engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' });
    expect((await engine.subjects('c/u01')).find((s) => s.subject === 'u01-m1')?.ladders.投诉).toBe(1);
    await expect(engine.replay('c/u01')).resolves.toMatchObject({ revision: 2 });
    await engine.close();
  });
});
