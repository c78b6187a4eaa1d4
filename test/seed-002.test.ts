import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcomes, TaskStatus } from '@luoshi/engine';
import { expectGoldenHistory } from './support/golden-history.js';
import { openHarness, organisation, shanghai, tempDatabase, type Harness } from './support/campaign-harness.js';

const WEIGHTED = ['单位自评', '支部互评', '季度评比检查', '抽查评议得分', '社会评议得分', '满意度得分'];
const units = Array.from({ length: 24 }, (_, i) => `u${String(i + 1).padStart(2, '0')}`);
const unitScore = (u: string) => (u === 'u05' ? 50 : 60 + Number(u.slice(1)));

/**
 * Seed 002 (机关作风建设年, 2010) over an office and 24 units of 5 members, driven through its year on
 * a virtual clock against the SQLite store.
 */
describe('given seed 002 over 24 units with 5 members each', () => {
  let h: Harness;
  const c = 'zf2010';
  const snapshots: Record<string, unknown> = {};

  beforeAll(async () => {
    h = await openHarness(tempDatabase(), '2010-04-01T00:00:00');
    await h.engine.startCampaign({ process: '机关作风建设年', organisation: organisation(24, 5), campaignId: c });
    h.clock.advanceTo(shanghai('2010-05-20T10:00:00'));
    for (const u of units.filter((u) => u !== 'u24')) await h.engine.send(`${c}/${u}`, { type: 'task.completed', task: '支部组织动员' });
    for (const task of ['动员大会', '制定实施方案']) await h.engine.send(`${c}/office`, { type: 'task.completed', task });
    await h.runTo('2010-06-10T09:00:00');
    snapshots.june = await h.engine.rollup(c);
    for (const u of units.filter((u) => u !== 'u23')) await h.engine.send(`${c}/${u}`, { type: 'report.submitted', task: '党员先锋岗报送' });
    await h.runTo('2010-07-01T09:00:00');
    for (let i = 0; i < 3; i++) await h.engine.send(`${c}/u01`, { type: 'complaint.verified', member: 'u01-m1' });
    await h.engine.send(`${c}/u02`, { type: 'complaint.verified', member: 'u02-m1' });
    await h.engine.send(`${c}/u03`, { type: 'notified', member: 'u03-m2', inspection: '专项督查抽查' });
    await h.engine.send(`${c}/u06`, { type: 'finding.recorded', inspection: '专项督查抽查' });
    await h.engine.send(`${c}/u05`, { type: 'finding.recorded', inspection: '明查暗访' });
    snapshots.julyOutcomes = await h.engine.outcomes(c);
    snapshots.julyU05 = await h.engine.outcomes(c, 'u05');
    await h.runTo('2010-10-20T09:00:00');
    snapshots.october = await h.engine.state(`${c}/u05`);
    for (const u of units) {
      for (const evaluation of WEIGHTED) await h.engine.send(`${c}/${u}`, { type: 'score.given', evaluation, score: unitScore(u) });
      for (let j = 1; j <= 5; j++)
        await h.engine.send(`${c}/${u}`, { type: 'score.given', evaluation: '党员自评', member: `${u}-m${j}`, score: 50 + Number(u.slice(1)) + j });
    }
    // u24 finishes every item of 五评, so its sub-process machine completes.
    for (const task of ['民主生活会自评', '自评情况报送', '服务对象座谈', '测评结果反馈整改'])
      await h.engine.send(`${c}/u24`, { type: 'task.completed', task });
    snapshots.wupingDone = await h.engine.state(`${c}/u24`);
    snapshots.wupingRunning = await h.engine.state(`${c}/u01`);
    await h.runTo('2011-01-02T00:00:00');
  });
  afterAll(() => h.close());

  it('then 支部组织动员 is overdue only where it was not done, with a reminder action, on 1 June', () => {
    expect(snapshots.june).toMatchObject({ units: 25, phases: { 组织实施: 25 }, overdueUnits: 1, overdueTasks: 1 });
    const overdue = h.effects.filter((e) => e.cause === 'overdue:支部组织动员');
    expect(overdue.map((e) => [e.unitId, e.action, e.at])).toEqual([['u24', '逾期提醒', shanghai('2010-06-01T00:00:00')]]);
  });

  it('then 党员先锋岗报送 reminds u23 three working days before 30 June and is overdue on 1 July', () => {
    expect(h.effects.filter((e) => e.cause === 'remind:党员先锋岗报送').map((e) => [e.unitId, e.at])).toEqual([
      ['u23', shanghai('2010-06-28T00:00:00')],
    ]);
    expect(h.effects.filter((e) => e.cause === 'overdue:党员先锋岗报送').map((e) => e.unitId)).toEqual(['u23']);
  });

  it('then the complaint ladder gives 诫勉谈话, 通报批评, 交流换岗 to the member verified three times', async () => {
    const ladder = h.effects.filter((e) => e.cause.startsWith('ladder:举报投诉查实'));
    expect(ladder.map((e) => `${e.memberId} ${e.action}`)).toEqual(['u01-m1 诫勉谈话', 'u01-m1 通报批评', 'u01-m1 交流换岗', 'u02-m1 诫勉谈话']);
    const u01 = await h.engine.subjects(`${c}/u01`);
    expect(u01.find((s) => s.subject === 'u01-m1')?.ladders).toEqual({ 举报投诉查实: 3 });
  });

  it('then a member named by the 专项督查 spot check loses awards and is graded 不称职', async () => {
    const member = (await h.engine.subjects(`${c}/u03`)).find((s) => s.subject === 'u03-m2');
    expect(member?.flags).toEqual(['取消评先评优', '绩效不称职']);
  });

  it('then 明查暗访 without rectification runs two rounds and marks u05 for 重点整改', async () => {
    expect((snapshots.october as { inspections: unknown }).inspections).toEqual({ 明查暗访: 'exhausted', 专项督查抽查: 'clear' });
    expect((await h.engine.subjects(`${c}/u05`))[0]?.flags).toContain('重点整改单位');
    const findings = h.effects.filter((e) => e.cause === 'finding:明查暗访').map((e) => e.action);
    expect(findings).toEqual(['通报批评', '限期整改通知']);
    expect(h.effects.filter((e) => e.action === '全市通报曝光').map((e) => e.unitId).sort()).toEqual(['u05', 'u06']);
  });

  it('then 五评 completes as a child statechart where every item is done and runs on elsewhere', () => {
    expect((snapshots.wupingDone as { value: unknown }).value).toMatchObject({ 组织实施: { 五评考评: 'done' } });
    expect((snapshots.wupingRunning as { value: unknown }).value).toMatchObject({ 组织实施: { 五评考评: 'running' } });
  });

  it('then every unit went through the monthly study six times, June to November', async () => {
    const studies = (await h.engine.tasks(`${c}/u10`)).filter((t) => t.item === '每月学习');
    expect(studies.map((t) => t.occurrence)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(studies.every((t) => t.status === 'overdue')).toBe(true);
  });

  it('then at year end the ten best eligible units are 十佳 and the last, being 重点整改, is questioned', async () => {
    const top = h.effects.filter((e) => e.cause === 'ranking:十佳单位评选:top').map((e) => e.unitId).sort();
    expect(top).toEqual(['u15', 'u16', 'u17', 'u18', 'u19', 'u20', 'u21', 'u22', 'u23', 'u24']);
    const bottom = h.effects.filter((e) => e.cause === 'ranking:十佳单位评选:bottom');
    expect(bottom.map((e) => [e.unitId, e.action])).toEqual([['u05', '质询']]);
    expect((await h.engine.subjects(`${c}/u06`))[0]?.ranks).toEqual({});
    expect((await h.engine.subjects(`${c}/u24`))[0]).toMatchObject({ ranks: { 十佳单位评选: 1 }, flags: ['十佳单位'] });
  });

  it('then 十佳标兵 are ten members, the best first, without the disqualified member', async () => {
    const commended = h.effects.filter((e) => e.cause === 'ranking:十佳标兵评选:top');
    expect(commended).toHaveLength(10);
    const best = (await h.engine.subjects(`${c}/u24`)).find((s) => s.subject === 'u24-m5');
    expect(best?.ranks).toEqual({ 十佳标兵评选: 1 });
    expect((await h.engine.subjects(`${c}/u03`)).find((s) => s.subject === 'u03-m2')?.ranks).toEqual({});
  });

  it('then in July the outcomes count who climbed the complaint ladder, who carries a flag, and who did 支部组织动员', () => {
    const july = snapshots.julyOutcomes as Outcomes;
    // u01-m1 verified three times, u02-m1 once.
    expect(july.ladders).toEqual({ 举报投诉查实: { 1: 2, 2: 1, 3: 1 } });
    // u03-m2, named in a notice of the 专项督查抽查, carries both of the consequence's flags; u06, whose
    // finding in that spot check is circulated (五评's onFinding), may not be commended either.
    expect(july.flags).toEqual({ 取消评先评优: 2, 绩效不称职: 1, 重点整改单位: 0, 十佳单位: 0, 十佳标兵: 0 });
    expect(july.items['支部组织动员']).toEqual({ waiting: 0, open: 0, overdue: 1, done: 23, late: 0 });
    // One unit's own: its subtree is itself.
    expect((snapshots.julyU05 as Outcomes).items['支部组织动员']).toEqual({ waiting: 0, open: 0, overdue: 0, done: 1, late: 0 });
    expect((snapshots.julyU05 as Outcomes).ladders).toEqual({ 举报投诉查实: { 1: 0, 2: 0, 3: 0 } });
  });

  it('then at year end the outcomes are what the task and subject views of every unit add up to', async () => {
    const items: Record<string, Record<TaskStatus, number>> = {};
    const flags: Record<string, number> = {};
    const outcomes = await h.engine.outcomes(c);
    const levels = Object.keys(outcomes.ladders['举报投诉查实'] ?? {}).map(Number);
    const reached: Record<string, number> = Object.fromEntries(levels.map((l) => [String(l), 0]));
    for (const u of ['office', ...units]) {
      for (const task of await h.engine.tasks(`${c}/${u}`)) {
        const counts = (items[task.item] ??= { waiting: 0, open: 0, overdue: 0, done: 0, late: 0 });
        counts[task.status]++;
      }
      for (const subject of await h.engine.subjects(`${c}/${u}`)) {
        for (const level of levels) if ((subject.ladders['举报投诉查实'] ?? 0) >= level) reached[String(level)]!++;
        for (const flag of subject.flags) flags[flag] = (flags[flag] ?? 0) + 1;
      }
    }
    expect(levels).toEqual([1, 2, 3]);
    expect(outcomes.items).toEqual(items);
    expect(outcomes.ladders).toEqual({ 举报投诉查实: reached });
    expect(Object.fromEntries(Object.entries(outcomes.flags).filter(([, n]) => n > 0))).toEqual(flags);
    expect(outcomes.flags['十佳单位']).toBe(10);
    await expect(h.engine.outcomes(c, 'nobody')).rejects.toMatchObject({ code: 'ENGINE_INSTANCE_NOT_FOUND' });
  });

  it('then every instance has ended, its state equals the replay of its history, and no effect id repeats', async () => {
    expect(await h.engine.rollup(c)).toMatchObject({ units: 25, ended: 25, phases: { ended: 25 } });
    for (const u of ['office', ...units]) await expect(h.engine.replay(`${c}/${u}`)).resolves.toBeTruthy();
    expect(new Set(h.effects.map((e) => e.id)).size).toBe(h.effects.length);
    expect(await h.engine.nextTimerAt()).toBeUndefined();
  });

  it('then the history of every instance and every effect equal the committed golden record', async () => {
    await expectGoldenHistory(h.engine, c, h.effects, 'history-seed-002.json');
  });
});
