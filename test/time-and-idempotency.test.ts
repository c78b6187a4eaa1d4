import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createEngine, createMemoryStore, runUntil, VirtualClock, type Clock, type Engine, type HostEvent, type Store } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';

/*
 * 时间不倒流 and 幂等: the time rule and the idempotency semantics, through the public API on the
 * memory store and on SQLite, on both of the engine's paths (an engine whose actor is live, and a
 * fresh engine that restores the instance from the store).
 */

const CAMPAIGN = `
kind: campaign
id: 时序
title: 时序
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles: [{ id: 单位, title: 单位, level: unit }]
actions: [{ id: 诫勉谈话, title: 诫勉谈话, effect: admonish }]
phases:
  - id: 实施
    title: 实施
    window: 1月至12月
    tasks:
      - { id: 报送, title: 报送, owner: 单位, due: 6月30日 }
      - { id: 自查, title: 自查, owner: 单位, due: 11月30日 }
ladders:
  - { id: 投诉, title: 投诉, on: { event: complaint-verified }, rungs: [{ level: 1, actions: [诫勉谈话] }] }
`;

const ORGANISATION = { id: 'office', units: [{ id: 'u01', members: [{ id: '张三' }, { id: '李四' }] }] };

function shanghai(iso: string): number {
  return Date.parse(`${iso}+08:00`);
}

/** A clock a test sets anywhere, backwards too: what `luoshi … --now` gives one command after another. */
class HandClock implements Clock {
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
}

const stores: readonly [string, () => Promise<Store>][] = [
  ['memory', async () => createMemoryStore()],
  ['SQLite', async () => createKyselyStore({ sqlite: join(mkdtempSync(join(tmpdir(), 'luoshi-time-')), 'time.sqlite') })],
];

async function started(store: Store, at: string): Promise<Engine> {
  const validation = validateProcessText(CAMPAIGN, { file: 'time.yaml' });
  if (!validation.definition) throw new Error('invalid test campaign');
  const engine = createEngine({ store, clock: new VirtualClock(shanghai(at)) });
  await engine.deploy([validation.definition]);
  await engine.startCampaign({ process: '时序', organisation: ORGANISATION, campaignId: 'c' });
  return engine;
}

/** The rejection of `promise`, failing the test when it resolves. */
async function refusal(promise: Promise<unknown>): Promise<{ code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a refusal, but the promise resolved');
}

const report: HostEvent = { type: 'task.completed', task: '报送' };

describe.each(stores)('on the %s store, time never runs backwards', (_name, open) => {
  /** A campaign whose timers fired up to 2 July: 报送 (due 30 June) is overdue, the last entry dated at its deadline. */
  async function pastDeadline() {
    const store = await open();
    const engine = await started(store, '2024-01-02T09:00:00');
    const clock = new VirtualClock(shanghai('2024-01-02T09:00:00'));
    const timers = createEngine({ store, clock });
    await runUntil(timers, clock, shanghai('2024-07-02T00:00:00'));
    const history = await engine.history('c/u01');
    const task = async () => (await engine.tasks('c/u01')).find((t) => t.item === '报送');
    return { store, engine, history, last: (history.at(-1) as { at: number }).at, task };
  }

  it('when an event dated 10 May reaches an instance whose timers fired to 1 July, then it is refused, on a fresh engine and on a live one, and nothing changes', async () => {
    const { store, history, last, task } = await pastDeadline();
    expect((await task())?.status).toBe('overdue');
    expect(last).toBeGreaterThanOrEqual(shanghai('2024-06-30T00:00:00'));

    // A fresh engine restores the instance from the store (the queued path).
    const fresh = createEngine({ store, clock: new VirtualClock(shanghai('2024-05-10T09:00:00')) });
    const error = await refusal(fresh.send('c/u01', report, { actor: '张三' }));
    // Both times in the campaign's zone (Asia/Shanghai, its default), still ISO 8601 instants.
    expect(error).toMatchObject({ code: 'ENGINE_TIME_BACKWARDS', details: { id: 'c/u01', at: '2024-05-10T09:00:00+08:00', zone: 'Asia/Shanghai' } });
    expect(Date.parse(String(error.details?.last))).toBe(last);
    expect(String(error.details?.last)).toMatch(/\+08:00$/);

    // An engine whose actor is live (on the memory store the event is applied at once, not queued).
    const hand = new HandClock(shanghai('2024-07-03T09:00:00'));
    const live = createEngine({ store, clock: hand });
    await live.send('c/u01', { type: 'complaint.verified', member: '张三' });
    hand.at = shanghai('2024-05-10T09:00:00');
    expect(await refusal(live.send('c/u01', report))).toMatchObject({ code: 'ENGINE_TIME_BACKWARDS', details: { last: '2024-07-03T09:00:00+08:00' } });

    const after = await live.history('c/u01');
    expect(after).toHaveLength(history.length + 1);
    expect((await live.state('c/u01')).revision).toBe(history.length + 1);
    expect((await task())?.status).toBe('overdue');
    // Later than the instance's time, the same event is applied: done late, not on time.
    hand.at = shanghai('2024-07-03T10:00:00');
    await live.send('c/u01', report);
    expect((await task())?.status).toBe('late');
    // Engines on one store close it: only the last one is closed.
    await live.close();
  });

  it('when an event is dated exactly at the instance’s time, then it is applied (equal times are one moment)', async () => {
    const { store, last } = await pastDeadline();
    const engine = createEngine({ store, clock: new HandClock(last) });
    await engine.send('c/u01', { type: 'complaint.verified', member: '张三' });
    await engine.send('c/u01', { type: 'complaint.verified', member: '李四' });
    const ats = (await engine.history('c/u01')).slice(-2).map((h) => h.at);
    expect(ats).toEqual([last, last]);
    await engine.close();
  });

  it('when the clock reads 1970, year −1, NaN or infinity, then the event is refused with a code and nothing is written', async () => {
    const { store, history } = await pastDeadline();
    const hand = new HandClock(0);
    const engine = createEngine({ store, clock: hand });
    const yearMinusOne = Date.UTC(-1, 4, 10);
    expect(await refusal(engine.send('c/u01', report))).toMatchObject({ code: 'ENGINE_TIME_BACKWARDS', details: { at: '1970-01-01T08:00:00+08:00' } });
    hand.at = yearMinusOne;
    expect(await refusal(engine.send('c/u01', report))).toMatchObject({ code: 'ENGINE_TIME_BACKWARDS', details: { at: '-000001-05-10T08:00:00+08:00' } });
    hand.at = Number.NaN;
    expect(await refusal(engine.send('c/u01', report))).toMatchObject({ code: 'ENGINE_INVALID_TIME', details: { at: 'NaN' } });
    expect(await refusal(engine.runDueTimers())).toMatchObject({ code: 'ENGINE_INVALID_TIME' });
    hand.at = Number.POSITIVE_INFINITY;
    expect(await refusal(engine.send('c/u01', report))).toMatchObject({ code: 'ENGINE_INVALID_TIME', details: { at: 'Infinity' } });
    expect(await refusal(engine.startCampaign({ process: '时序', organisation: ORGANISATION, campaignId: 'nan' }))).toMatchObject({ code: 'ENGINE_INVALID_TIME' });
    expect(await engine.history('c/u01')).toEqual(history);
    expect(await refusal(engine.state('nan/u01'))).toMatchObject({ code: 'ENGINE_INSTANCE_NOT_FOUND' });
    await engine.close();
  });

  it('when a timer falls due on an engine whose clock is behind the instance’s time, then it is applied at the instance’s time, never earlier', async () => {
    const store = await open();
    await started(store, '2024-01-02T09:00:00');
    // An event on 1 August, before anything fired the deadline of 30 June.
    const ahead = createEngine({ store, clock: new VirtualClock(shanghai('2024-08-01T09:00:00')) });
    await ahead.send('c/u01', { type: 'complaint.verified', member: '张三' });
    // Another engine process whose clock reads 1 July: the deadline is due by its clock.
    const behind = createEngine({ store, clock: new VirtualClock(shanghai('2024-07-01T09:00:00')) });
    expect(await behind.runDueTimers()).toBeGreaterThan(0);
    const history = await behind.history('c/u01');
    const ats = history.map((h) => h.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    const fired = history.filter((h) => h.cause === 'timer');
    expect(fired.length).toBeGreaterThan(0);
    for (const entry of fired) expect(entry.at).toBe(shanghai('2024-08-01T09:00:00'));
    expect((await behind.tasks('c/u01')).find((t) => t.item === '报送')?.status).toBe('overdue');
    await behind.close();
  });
});

describe('a virtual clock', () => {
  it('when told to move to NaN or back, then it refuses and keeps its time', () => {
    const clock = new VirtualClock(1_000);
    expect(() => clock.advanceTo(Number.NaN)).toThrow(RangeError);
    expect(() => clock.advanceTo(999)).toThrow(RangeError);
    expect(clock.now()).toBe(1_000);
  });
});

describe.each(stores)('on the %s store, an idempotency key names one request', (_name, open) => {
  async function campaign() {
    const store = await open();
    const engine = await started(store, '2024-03-01T09:00:00');
    return { store, engine };
  }

  it('when a key is repeated after later events, then the answer is the revision and phase the first request produced', async () => {
    const { store, engine } = await campaign();
    const first = await engine.send('c/u01', report, { actor: '张三', idempotencyKey: 'k1' });
    await engine.send('c/u01', { type: 'complaint.verified', member: '李四' });
    await engine.send('c/u01', { type: 'complaint.verified', member: '张三' });
    const again = await engine.send('c/u01', report, { actor: '张三', idempotencyKey: 'k1' });
    expect(first).toMatchObject({ revision: 2, duplicate: false });
    expect(again).toEqual({ instanceId: 'c/u01', revision: 2, duplicate: true, phase: first.phase, effects: 0 });
    // A fresh engine, restoring the instance from the store, answers the same.
    const fresh = createEngine({ store, clock: new VirtualClock(shanghai('2024-03-02T09:00:00')) });
    expect(await fresh.send('c/u01', report, { actor: '张三', idempotencyKey: 'k1' })).toEqual(again);
    expect((await fresh.history('c/u01')).filter((h) => h.idempotencyKey === 'k1')).toHaveLength(1);
    await fresh.close();
  });

  it('when a key is repeated with the same event written otherwise (keys in another order, a field the engine ignores), then it is the same request', async () => {
    const { engine } = await campaign();
    const event = { type: 'complaint.verified', member: '张三', fields: { 来源: '信访', 件数: 1 } } as const;
    const first = await engine.send('c/u01', event, { idempotencyKey: 'k1' });
    const reordered = JSON.parse('{"fields":{"件数":1,"来源":"信访"},"note":"ignored","member":"张三","type":"complaint.verified"}') as HostEvent;
    expect(await engine.send('c/u01', reordered, { idempotencyKey: 'k1' })).toMatchObject({ revision: first.revision, duplicate: true });
    await engine.close();
  });

  it('when a key is used again with another event, member, field or actor, then ENGINE_IDEMPOTENCY_KEY_REUSED and nothing is written', async () => {
    const { engine } = await campaign();
    await engine.send('c/u01', { type: 'complaint.verified', member: '张三', fields: { 来源: '信访' } }, { actor: '王五', idempotencyKey: 'k1' });
    const history = await engine.history('c/u01');
    const others: [HostEvent, string | undefined][] = [
      [report, '王五'],
      [{ type: 'complaint.verified', member: '李四', fields: { 来源: '信访' } }, '王五'],
      [{ type: 'complaint.verified', member: '张三', fields: { 来源: '网络' } }, '王五'],
      [{ type: 'complaint.verified', member: '张三' }, '王五'],
      [{ type: 'complaint.verified', member: '张三', fields: { 来源: '信访' } }, '赵六'],
      [{ type: 'complaint.verified', member: '张三', fields: { 来源: '信访' } }, undefined],
      [JSON.parse('{"type":"__proto__","member":"张三"}') as HostEvent, '王五'],
      ['not an event' as unknown as HostEvent, '王五'],
    ];
    for (const [event, actor] of others) {
      const error = await refusal(engine.send('c/u01', event, { idempotencyKey: 'k1', ...(actor === undefined ? {} : { actor }) }));
      expect(error).toMatchObject({ code: 'ENGINE_IDEMPOTENCY_KEY_REUSED', details: { key: 'k1', id: 'c/u01' } });
    }
    expect(await engine.history('c/u01')).toEqual(history);
    // The key is the instance's: another instance may use it.
    expect(await engine.send('c/office', { type: 'notified' }, { idempotencyKey: 'k1' })).toMatchObject({ duplicate: false });
    await engine.close();
  });

  it('when 50 requests with one key arrive at once, half of them with another body, then one is applied and every other is its duplicate or refused', async () => {
    const { engine } = await campaign();
    const same = { type: 'complaint.verified', member: '张三' } as const;
    const other = { type: 'complaint.verified', member: '李四' } as const;
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => engine.send('c/u01', i % 2 === 0 ? same : other, { idempotencyKey: 'k50' })));
    const history = (await engine.history('c/u01')).filter((h) => h.idempotencyKey === 'k50');
    expect(history).toHaveLength(1);
    const applied = (history[0]?.event as { member: string }).member;
    outcomes.forEach((outcome, i) => {
      const member = i % 2 === 0 ? '张三' : '李四';
      if (member === applied) {
        expect(outcome.status).toBe('fulfilled');
        expect(outcome.status === 'fulfilled' && outcome.value.revision).toBe(2);
      } else {
        expect(outcome.status === 'rejected' && (outcome.reason as { code: string }).code).toBe('ENGINE_IDEMPOTENCY_KEY_REUSED');
      }
    });
    const fulfilled = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(fulfilled.filter((r) => !r.duplicate)).toHaveLength(1);
    await engine.close();
  });
});

describe('on a memory store that keeps no history', () => {
  it('when a key is repeated after later events, then the answer is still the first request’s revision, and the time rule still holds', async () => {
    const store = createMemoryStore({ keepHistory: false });
    const engine = await started(store, '2024-03-01T09:00:00');
    const first = await engine.send('c/u01', report, { idempotencyKey: 'k1' });
    await engine.send('c/u01', { type: 'complaint.verified', member: '李四' });
    expect(await engine.send('c/u01', report, { idempotencyKey: 'k1' })).toMatchObject({ revision: first.revision, duplicate: true });
    expect(await refusal(engine.send('c/u01', { type: 'complaint.verified' }, { idempotencyKey: 'k1' }))).toMatchObject({ code: 'ENGINE_IDEMPOTENCY_KEY_REUSED' });
    const earlier = createEngine({ store, clock: new VirtualClock(shanghai('2024-02-01T09:00:00')) });
    expect(await refusal(earlier.send('c/u01', { type: 'complaint.verified', member: '张三' }))).toMatchObject({ code: 'ENGINE_TIME_BACKWARDS' });
    expect(await store.campaignTime('c')).toBe(shanghai('2024-03-01T09:00:00'));
    await engine.close();
  });
});
