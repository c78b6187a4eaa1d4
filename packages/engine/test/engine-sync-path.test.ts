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

/** The same store with `transactionSync` hidden, so every event takes the engine's queue and promised transactions. */
function queuedOnly(inner: Store): Store {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'transactionSync') return undefined;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function started(store: Store, delivered: Effect[]): Promise<{ engine: Engine; clock: VirtualClock }> {
  const v = validateProcessText(CAMPAIGN, { file: 'c.yaml' });
  if (!v.definition) throw new Error('invalid test campaign');
  const clock = new VirtualClock(shanghai('2024-01-02T00:00:00'));
  const engine = createEngine({ store, clock, effects: { deliver: (e) => void delivered.push(e) } });
  await engine.deploy([v.definition]);
  await engine.startCampaign({ process: '同步', organisation: organisation(2, 2), campaignId: 'c' });
  return { engine, clock };
}

describe('given the memory store, which commits an event at once, and the same store through the queue', () => {
  it('when the same year of events, refusals, duplicates and deadlines is run on both, then both store the same instances, history, timers and effects', async () => {
    const runs = await Promise.all(
      [(s: Store) => s, queuedOnly].map(async (wrap) => {
        const store = createMemoryStore();
        const delivered: Effect[] = [];
        const { engine, clock } = await started(wrap(store), delivered);
        const outcomes: unknown[] = [];
        const send = (id: string, event: HostEvent, key?: string) =>
          engine.send(id, event, key === undefined ? { actor: 'tester' } : { actor: 'tester', idempotencyKey: key }).then(
            (r) => outcomes.push(r),
            (e: unknown) => outcomes.push(e instanceof EngineError ? e.code : String(e)),
          );
        await send('c/u01', { type: 'task.completed', task: '报送' });
        await send('c/u01', { type: 'task.completed', task: '报送' });
        await send('c/u02', { type: 'complaint.verified', member: 'u02-m1' }, 'k1');
        await send('c/u02', { type: 'complaint.verified', member: 'u02-m1' }, 'k1');
        await send('c/u02', { type: 'complaint.verified', member: 'u02-m1' });
        await send('c/u02', { type: 'complaint.verified', member: 'nobody' });
        await send('c/nowhere', { type: 'task.completed', task: '报送' });
        // Past the first deadline and into the next phase: u02 is overdue on 报送, both on 年中报告.
        for (const month of ['2024-04-02T00:00:00', '2024-07-02T00:00:00']) {
          clock.advanceTo(shanghai(month));
          outcomes.push(await engine.runDueTimers());
        }
        await send('c/u02', { type: 'task.completed', task: '年中报告' });
        await engine.deliverEffects();
        const instances = await store.listInstances('c');
        const history = await Promise.all(instances.map((i) => store.history(i.id)));
        const timers = await Promise.all(instances.map((i) => store.timers(i.id)));
        await engine.close();
        return JSON.stringify({ outcomes, instances, history, timers, delivered });
      }),
    );
    const [now, queued] = runs as [string, string];
    // The year did happen: refusals, a duplicate, two rungs, and overdue tasks.
    expect(now).toContain('ENGINE_TASK_NOT_OPEN');
    expect(now).toContain('ENGINE_INSTANCE_NOT_FOUND');
    expect(now).toContain('"duplicate":true');
    expect(now).toContain('"effect":"criticise"');
    expect(now).toContain('"s":"overdue"');
    expect(now).toBe(queued);
  });
});

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
  sync: number;
  async: number;
  syncErrors: string[];
}

/**
 * The store with the first step of `instanceId` caused by `cause` failing as its history entry is
 * written, at once or through the queue; `seen` counts the transactions taken each way.
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
      if (prop === 'transactionSync' && target.transactionSync)
        return <T>(fn: (tx: never) => T) => {
          seen.sync++;
          try {
            return target.transactionSync?.((tx) => fn(failing(tx) as never));
          } catch (error) {
            seen.syncErrors.push((error as Error).constructor.name);
            throw error;
          }
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

const nothingSeen = (): Seen => ({ sync: 0, async: 0, syncErrors: [] });

describe('given two units whose deadlines pass at the same instant, and a store that fails the first unit’s step once', () => {
  for (const [path, wrap] of [
    ['at once', (s: Store) => s],
    ['through the queue', queuedOnly],
  ] as const) {
    it(`when the due timers run ${path}, then the round fires the other unit’s, fails with the error, and the next round fires the first`, async () => {
      const seen = nothingSeen();
      const { engine, clock } = await started(failingStepOf(wrap(createMemoryStore()), 'c/u01', 'timer', seen), []);
      clock.advanceTo(shanghai('2024-04-01T00:00:00'));
      const before = { ...seen };
      await expect(engine.runDueTimers()).rejects.toThrow('disk full');
      // Each timer took the path under test: at once, no queued transaction; through the queue, none at once.
      if (path === 'at once') expect([seen.sync - before.sync, seen.async - before.async]).toEqual([2, 0]);
      else expect([seen.sync - before.sync, seen.async - before.async]).toEqual([0, 1]);
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
  it('when the next event comes for that unit, then it is applied on the stored state, its actor rebuilt rather than found ahead of the store', async () => {
    const seen = nothingSeen();
    const { engine } = await started(failingStepOf(createMemoryStore(), 'c/u01', 'host', seen), []);
    await expect(engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' })).rejects.toThrow('disk full');
    await engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' });
    // An actor left ahead of the store would have met a revision conflict before being rebuilt.
    expect(seen.syncErrors).toEqual(['Error']);
    expect((await engine.subjects('c/u01')).find((s) => s.subject === 'u01-m1')?.ladders.投诉).toBe(1);
    await expect(engine.replay('c/u01')).resolves.toMatchObject({ revision: 2 });
    await engine.close();
  });
});
