import { describe, expect, it } from 'vitest';
import { compileMachine } from '../src/compiler/compile-machine.js';
import type { MachineEvent } from '../src/runtime/campaign-event.js';
import { unitInput } from '../src/runtime/engine/campaign-start.js';
import type { InstanceContext, InstanceInput } from '../src/runtime/instance-context.js';
import { rankSubjects } from '../src/runtime/ranking.js';
import { initialState, step, type Statechart, type UnitState } from '../src/runtime/step.js';
import { createInProcessEngine, runUntil, VirtualClock, type Effect } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { engineWith, shanghai } from './support/harness.js';
import { planOf } from './support/records.js';

/*
 * 评比排名只排仍在活动中的单位: three towns are scored by the office (甲 90, 乙 80); 丙 is struck off
 * (撤销, a decision whose option is `next: end`) in June, before any score. The year-end ranking
 * (12月31日) names the best one (十佳, top 1) and the last one (末位, bottom 1, flagged 末位). Counted
 * by hand: among the towns still in the campaign, 甲 (90) is 1st and top, 乙 (80) 2nd and bottom; 丙 is
 * not placed and takes no band (before, its missing score counted 0 and it came 3rd, 末位).
 * A unit whose phases end by their own course (a window's end) is still in the campaign and ranked.
 */
const CAMPAIGN = `
kind: campaign
id: 评比在册
title: 评比在册
source: { title: 测试 }
year: 2024
subjects: [unit]
scale: { units: 3 }
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 镇, title: 各镇, level: unit }
flags:
  - { id: 末位, title: 末位, lasts: campaign }
actions:
  - { id: 表彰, title: 表彰, effect: commend }
phases:
  - id: 整治
    title: 整治
    window: 3月至12月
    evaluations:
      - { id: 年度考核, title: 年度考核, by: 办公室, due: 12月20日 }
    decisions:
      - id: 撤销
        title: 撤销
        by: 办公室
        options:
          - { id: 撤销, title: 撤销建制，退出活动, next: end }
rankings:
  - id: 年终评比
    title: 年终评比
    subject: unit
    at: 12月31日
    weights: { 年度考核: 1 }
    top: { count: 1, actions: [表彰] }
    bottom: { count: 1, flags: [末位] }
`;
const ORGANISATION = { id: '县', units: [{ id: '甲' }, { id: '乙' }, { id: '丙' }] };

async function scoredAndStruckOff(send: (unit: string, event: MachineEventInput) => Promise<unknown>) {
  await send('c/丙', { type: 'decision.taken', decision: '撤销', option: '撤销' });
  await send('c/甲', { type: 'score.given', evaluation: '年度考核', score: 90 });
  await send('c/乙', { type: 'score.given', evaluation: '年度考核', score: 80 });
}
type MachineEventInput = Parameters<Awaited<ReturnType<typeof engineWith>>['engine']['send']>[1];

describe('given three towns ranked at year end, one struck off by a decision in June (评比排名, 退出活动)', () => {
  it('when the durable engine ranks on 31 December, then only the towns still in the campaign are placed: 甲 1st (top), 乙 2nd (bottom, 末位); 丙 has no rank and no flag', async () => {
    const { engine, clock, processId, effects } = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    await engine.startCampaign({ process: processId, organisation: ORGANISATION, campaignId: 'c' });
    clock.advanceTo(shanghai('2024-06-10T09:00:00'));
    await scoredAndStruckOff((unit, event) => engine.send(unit, event));
    expect((await engine.state('c/丙')).ended).toBe(true);
    await runUntil(engine, clock, shanghai('2025-01-01T00:00:01'));
    await engine.deliverEffects();
    expect((await engine.subjects('c/甲'))[0]).toMatchObject({ ranks: { 年终评比: 1 }, flags: [] });
    expect((await engine.subjects('c/乙'))[0]).toMatchObject({ ranks: { 年终评比: 2 }, flags: ['末位'] });
    expect((await engine.subjects('c/丙'))[0]).toMatchObject({ ranks: {}, flags: [] });
    expect(effects.filter((e) => e.action === '表彰').map((e) => e.unitId)).toEqual(['甲']);
    // The view of where the ranking stands leaves 丙 out too.
    expect((await engine.standings('c', '年终评比')).map((r) => [r.unit, r.rank, r.band])).toEqual([
      ['甲', 1, 'top'],
      ['乙', 2, 'bottom'],
    ]);
  });

  it('when the towns’ phases end by their own course before the ranking (window 3月至11月, the assessment done in December), then the ended instances still receive the ranking: 甲 1st, 乙 2nd, 丙 (struck off) not placed', async () => {
    const text = CAMPAIGN.replace('window: 3月至12月', 'window: 3月至11月').replace('year: 2024\n', 'year: 2024\nend: 2024-12-31\n');
    const { engine, clock, processId } = await engineWith(text, { start: '2024-03-01T00:00:00' });
    await engine.startCampaign({ process: processId, organisation: ORGANISATION, campaignId: 'c' });
    clock.advanceTo(shanghai('2024-06-10T09:00:00'));
    await engine.send('c/丙', { type: 'decision.taken', decision: '撤销', option: '撤销' });
    await runUntil(engine, clock, shanghai('2024-12-10T09:00:00'));
    await engine.send('c/甲', { type: 'score.given', evaluation: '年度考核', score: 90 });
    await engine.send('c/乙', { type: 'score.given', evaluation: '年度考核', score: 80 });
    // The assessment was the last work of the wrap-up (收尾): both are closed before 31 December.
    for (const unit of ['c/甲', 'c/乙']) expect(await engine.state(unit)).toMatchObject({ phase: 'ended', ended: true });
    await runUntil(engine, clock, shanghai('2025-01-01T00:00:01'));
    expect((await engine.subjects('c/甲'))[0]).toMatchObject({ ranks: { 年终评比: 1 }, flags: [] });
    expect((await engine.subjects('c/乙'))[0]).toMatchObject({ ranks: { 年终评比: 2 }, flags: ['末位'] });
    expect((await engine.subjects('c/丙'))[0]).toMatchObject({ ranks: {} });
  });

  it('when the in-process driver (the simulator’s) ranks, then it places the same towns the same way', async () => {
    const validation = validateProcessText(CAMPAIGN, { file: 'test.yaml' });
    if (!validation.definition) throw new Error('does not validate');
    const clock = new VirtualClock(shanghai('2024-03-01T00:00:00'));
    const effects: Effect[] = [];
    const engine = createInProcessEngine({ clock, effects: { deliver: (e) => void effects.push(e) } });
    await engine.deploy([validation.definition]);
    await engine.startCampaign({ process: validation.definition.id, organisation: ORGANISATION, campaignId: 'c' });
    clock.advanceTo(shanghai('2024-06-10T09:00:00'));
    await scoredAndStruckOff((unit, event) => engine.send(unit, event));
    const until = shanghai('2025-01-01T00:00:01');
    for (let next = await engine.nextTimerAt(); next !== undefined && next <= until; next = await engine.nextTimerAt()) {
      clock.advanceTo(Math.max(next, clock.now()));
      await engine.runDueTimers();
    }
    expect((await engine.outcomes('c', '乙')).flags).toEqual({ 末位: 1 });
    expect((await engine.outcomes('c', '丙')).flags).toEqual({ 末位: 0 });
    expect(effects.filter((e) => e.action === '表彰').map((e) => e.unitId)).toEqual(['甲']);
    expect((await engine.standings('c', '年终评比')).map((r) => [r.unit, r.rank])).toEqual([
      ['甲', 1],
      ['乙', 2],
    ]);
  });
});

describe('given the same towns stepped one by one (the start flag)', () => {
  const plan = planOf(CAMPAIGN);
  const chart: Statechart = { plan, machine: compileMachine(plan) };
  const june = shanghai('2024-06-10T09:00:00');
  const origin = { at: june, actor: 'office', cause: 'host', idempotencyKey: null };
  const unit = (id: string, input: InstanceInput): UnitState => initialState(chart, { id: `c/${id}`, campaignId: 'c', unitId: id, unitPath: `/${id}/` }, input);
  const inputOf = (id: string) => unitInput(plan, 'c', { id, path: `/${id}/`, office: false, unitWork: true, members: [], levelsAbove: 0 } as never, plan.start);
  const apply = (state: UnitState, event: Record<string, unknown>) => step(chart, state, { ...event, at: june } as MachineEvent, origin).state;
  const contexts = (states: Record<string, UnitState>) => Object.entries(states).map(([id, s]) => ({ id: `c/${id}`, context: s.snapshot.context as InstanceContext }));

  it('when a campaign has a ranking and an option that ends a unit, then its units start with leftUnranked, and a unit the decision ends records when it left', () => {
    expect(inputOf('甲').leftUnranked).toBe(true);
    const struck = apply(unit('丙', inputOf('丙')), { type: 'decision.taken', decision: '撤销', option: '撤销' });
    expect(struck.ended).toBe(true);
    expect((struck.snapshot.context as InstanceContext).left).toBe(june);
  });

  it('when a campaign has no option that ends a unit, then its start input is as before (no flag)', () => {
    const plain = planOf(CAMPAIGN.replace(/ {4}decisions:\n(?: {6,}.*\n)+/, ''));
    expect(unitInput(plain, 'c', { id: '甲', path: '/甲/', office: false, unitWork: true, members: [], levelsAbove: 0 } as never, plain.start).leftUnranked).toBeUndefined();
  });

  it('when an instance an earlier release started (no leftUnranked) is struck off, then it is still ranked, last with 0, as it was', () => {
    const { leftUnranked: _l, ...old } = inputOf('丙');
    const states = {
      甲: apply(unit('甲', inputOf('甲')), { type: 'score.given', evaluation: '年度考核', score: 90 }),
      乙: apply(unit('乙', inputOf('乙')), { type: 'score.given', evaluation: '年度考核', score: 80 }),
      丙: apply(unit('丙', old), { type: 'decision.taken', decision: '撤销', option: '撤销' }),
    };
    expect((states.丙.snapshot.context as InstanceContext).left).toBeUndefined();
    expect(rankSubjects(plan.rankings[0]!, contexts(states)).map((r) => [r.unit, r.rank, r.score, r.band])).toEqual([
      ['甲', 1, 90, 'top'],
      ['乙', 2, 80, undefined],
      ['丙', 3, 0, 'bottom'],
    ]);
  });

  it('when a unit’s phases end by their own course (the window’s end), then it is still in the campaign and ranked', () => {
    const end = shanghai('2025-01-01T00:00:00');
    const fired = { type: 'timer.fired', key: 'phase:整治', dueAt: end };
    const states = {
      甲: step(chart, apply(unit('甲', inputOf('甲')), { type: 'score.given', evaluation: '年度考核', score: 90 }), { ...fired, at: end } as MachineEvent, { ...origin, at: end, cause: 'timer' }).state,
      乙: apply(unit('乙', inputOf('乙')), { type: 'score.given', evaluation: '年度考核', score: 80 }),
    };
    expect(states.甲.phase).toBe('ended');
    expect(rankSubjects(plan.rankings[0]!, contexts(states)).map((r) => [r.unit, r.rank])).toEqual([
      ['甲', 1],
      ['乙', 2],
    ]);
  });
});
