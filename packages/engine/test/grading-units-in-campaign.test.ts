import { describe, expect, it } from 'vitest';
import { compileMachine } from '../src/compiler/compile-machine.js';
import type { MachineEvent } from '../src/runtime/campaign-event.js';
import { unitInput } from '../src/runtime/engine/campaign-start.js';
import type { InstanceContext, InstanceInput } from '../src/runtime/instance-context.js';
import { initialState, step, type Statechart, type UnitState } from '../src/runtime/step.js';
import { createInProcessEngine, runUntil, VirtualClock, type Effect } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { engineWith, shanghai } from './support/harness.js';
import { planOf } from './support/records.js';

/*
 * 年度考核等次只评仍在活动中的单位 (as a directive writes it: 年终对各镇考核评定等次，撤销建制的镇退出考核):
 * three towns graded at year end (12月31日) on 自评 × 0.3 + 考核 × 0.7; bands 优秀 from 90 (表彰),
 * 合格 from 60, 不合格 below (flag 不合格, action 约谈). 丙 is struck off (撤销, an option with
 * `next: end`) in June, before any score. By hand:
 *   甲: 自评 100, 考核 90 → 0.3 × 100 + 0.7 × 90 = 30 + 63 = 93 → 优秀, 表彰;
 *   乙: 自评 50, 考核 70 → 15 + 49 = 64 → 合格;
 *   丙: left the campaign → not graded: no grade, no flag, no 约谈. Before (and still in an instance an
 *       earlier release started, without `leftUngraded`): its missing scores counted 0 → 0 → 不合格,
 *       flagged 不合格 and 约谈 — a town that no longer exists summoned for a talk.
 */
const CAMPAIGN = `
kind: campaign
id: 考核在册
title: 考核在册
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 考核办, title: 考核办公室, level: office }
  - { id: 镇, title: 各镇, level: unit }
flags:
  - { id: 不合格, title: 考核不合格, lasts: campaign }
actions:
  - { id: 表彰, title: 表彰, effect: commend }
  - { id: 约谈, title: 约谈, effect: admonish }
phases:
  - id: 实施
    title: 实施
    window: 3月至12月
    evaluations:
      - { id: 自评, title: 自评, by: 镇, due: 12月20日 }
      - { id: 考核, title: 考核, by: 考核办, due: 12月20日 }
    decisions:
      - id: 撤销
        title: 撤销建制
        by: 考核办
        options:
          - { id: 撤销, title: 撤销建制，退出考核, next: end }
grades:
  - id: 年度等次
    title: 年度考核等次
    subject: unit
    at: 12月31日
    weights: { 自评: 0.3, 考核: 0.7 }
    bands:
      - { grade: 优秀, min: 90, actions: [表彰] }
      - { grade: 合格, min: 60 }
      - { grade: 不合格, flags: [不合格], actions: [约谈] }
`;
const ORGANISATION = { id: '县', units: [{ id: '甲' }, { id: '乙' }, { id: '丙' }] };

type Send = (unit: string, event: { type: 'decision.taken'; decision: string; option: string } | { type: 'score.given'; evaluation: string; score: number }) => Promise<unknown>;

async function scoredAndStruckOff(send: Send) {
  await send('c/丙', { type: 'decision.taken', decision: '撤销', option: '撤销' });
  await send('c/甲', { type: 'score.given', evaluation: '自评', score: 100 });
  await send('c/甲', { type: 'score.given', evaluation: '考核', score: 90 });
  await send('c/乙', { type: 'score.given', evaluation: '自评', score: 50 });
  await send('c/乙', { type: 'score.given', evaluation: '考核', score: 70 });
}

describe('given three towns graded at year end, one struck off by a decision in June (等次评定, 退出活动)', () => {
  it('when the durable engine grades on 31 December, then 甲 is 优秀 (93) and commended, 乙 合格 (64), and 丙 has no grade, no flag and is not summoned', async () => {
    const { engine, clock, processId, effects } = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    await engine.startCampaign({ process: processId, organisation: ORGANISATION, campaignId: 'c' });
    clock.advanceTo(shanghai('2024-06-10T09:00:00'));
    await scoredAndStruckOff((unit, event) => engine.send(unit, event));
    expect((await engine.state('c/丙')).ended).toBe(true);
    await runUntil(engine, clock, shanghai('2025-01-01T00:00:01'));
    await engine.deliverEffects();
    expect((await engine.subjects('c/甲'))[0]).toMatchObject({ grades: { 年度等次: '优秀' }, flags: [] });
    expect((await engine.subjects('c/乙'))[0]).toMatchObject({ grades: { 年度等次: '合格' }, flags: [] });
    expect((await engine.subjects('c/丙'))[0]).toMatchObject({ grades: {}, flags: [] });
    expect(effects.filter((e) => e.action === '表彰').map((e) => e.unitId)).toEqual(['甲']);
    expect(effects.filter((e) => e.action === '约谈')).toEqual([]);
  });

  it('when the in-process driver (the simulator’s) grades, then it grades the same towns the same way', async () => {
    const validation = validateProcessText(CAMPAIGN, { file: 'test.yaml' });
    if (!validation.definition) throw new Error('does not validate');
    const clock = new VirtualClock(shanghai('2024-03-01T00:00:00'));
    const effects: Effect[] = [];
    const engine = createInProcessEngine({ clock, effects: { deliver: (e) => void effects.push(e) } });
    await engine.deploy([validation.definition]);
    await engine.startCampaign({ process: validation.definition.id, organisation: ORGANISATION, campaignId: 'c' });
    clock.advanceTo(shanghai('2024-06-10T09:00:00'));
    await scoredAndStruckOff((unit, event) => engine.send(unit, event));
    await runUntil(engine, clock, shanghai('2025-01-01T00:00:01'));
    expect((await engine.state('c/甲')).grades).toEqual({ 年度等次: '优秀' });
    expect((await engine.state('c/乙')).grades).toEqual({ 年度等次: '合格' });
    expect((await engine.state('c/丙')).grades).toBeUndefined();
    expect((await engine.outcomes('c', '丙')).flags).toEqual({ 不合格: 0 });
    expect((await engine.outcomes('c')).grades).toEqual({ 年度等次: { 优秀: 1, 合格: 1, 不合格: 0 } });
    expect(effects.filter((e) => e.action === '约谈')).toEqual([]);
  });
});

describe('given the same towns stepped one by one (the start flag)', () => {
  const plan = planOf(CAMPAIGN);
  const chart: Statechart = { plan, machine: compileMachine(plan) };
  const june = shanghai('2024-06-10T09:00:00');
  const yearEnd = shanghai('2025-01-01T00:00:00');
  const origin = { at: june, actor: '考核办', cause: 'host', idempotencyKey: null };
  const unit = (id: string, input: InstanceInput): UnitState => initialState(chart, { id: `c/${id}`, campaignId: 'c', unitId: id, unitPath: `/${id}/` }, input);
  const inputOf = (id: string) => unitInput(plan, 'c', { id, path: `/${id}/`, office: false, unitWork: true, members: [], levelsAbove: 0 } as never, plan.start);
  const apply = (state: UnitState, event: Record<string, unknown>, at = june) => step(chart, state, { ...event, at } as MachineEvent, { ...origin, at, cause: event.type === 'grading.due' ? 'grading' : 'host' }).state;
  const graded = (state: UnitState) => apply(state, { type: 'grading.due', grading: '年度等次' }, yearEnd);
  const context = (state: UnitState) => state.snapshot.context as InstanceContext;

  it('when a campaign has a dated grading and an option that ends a unit, then its units start with leftUngraded (and no leftUnranked: it ranks nothing), and a unit the decision ends records when it left', () => {
    expect(inputOf('甲').leftUngraded).toBe(true);
    expect(inputOf('甲').leftUnranked).toBeUndefined();
    const struck = apply(unit('丙', inputOf('丙')), { type: 'decision.taken', decision: '撤销', option: '撤销' });
    expect(struck.ended).toBe(true);
    expect(context(struck).left).toBe(june);
  });

  it('when the grading has no date, or no option ends a unit, then the start input is as before (no flag)', () => {
    const undated = planOf(CAMPAIGN.replace('    at: 12月31日\n', ''));
    const staying = planOf(CAMPAIGN.replace(/ {4}decisions:\n(?: {6,}.*\n)+/, ''));
    for (const p of [undated, staying]) expect(unitInput(p, 'c', { id: '甲', path: '/甲/', office: false, unitWork: true, members: [], levelsAbove: 0 } as never, p.start).leftUngraded).toBeUndefined();
  });

  it('when an instance an earlier release started (no leftUngraded) is struck off, then the year-end grading still grades it 不合格 on 0, flagged, as it was', () => {
    const { leftUngraded: _l, ...old } = inputOf('丙');
    const struck = graded(apply(unit('丙', old), { type: 'decision.taken', decision: '撤销', option: '撤销' }));
    expect(context(struck).left).toBeUndefined();
    expect(context(struck).grades).toMatchObject({ 年度等次: expect.anything() });
    expect(JSON.stringify(context(struck).grades)).toContain('不合格');
    expect(JSON.stringify(context(struck).flags)).toContain('不合格');
  });

  it('when this release’s instance is struck off, then the grading event leaves it as it was: no grade, no flag', () => {
    const struck = apply(unit('丙', inputOf('丙')), { type: 'decision.taken', decision: '撤销', option: '撤销' });
    const after = graded(struck);
    expect(context(after).grades ?? {}).toEqual({});
    expect(context(after).flags).toEqual([]);
  });
});
