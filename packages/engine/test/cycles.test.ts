import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, EngineError, runUntil, VirtualClock, type Engine } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { shanghai } from './support/harness.js';
import { STANDING_CYCLE, YEARLY_CYCLE } from '../../../test/support/cycles.js';
import { planOf, recordsOf } from './support/records.js';

/*
 * 周期 (issue 18, "Cycles"): a campaign whose phases repeat every year — "2024年至2026年，每年1月部署，
 * 2至6月自查，11至12月考核，年底排名" — or every half-year. Expected values are read from the text:
 * three years give each unit three of every phase's tasks, due on the same days of each year, and
 * three rankings, each on the scores of its own year.
 */

const ORGANISATION = { id: '区委', units: [{ id: '甲' }, { id: '乙' }, { id: '丙' }] };

async function started(text: string, start = '2024-01-01T00:00:00'): Promise<{ engine: Engine; clock: VirtualClock }> {
  const validation = validateProcessText(text, { file: 'cycle.yaml' });
  if (!validation.ok || !validation.definition) throw new Error(validation.diagnostics.map((d) => d.code).join());
  const clock = new VirtualClock(shanghai(start));
  const engine = createEngine({ store: createMemoryStore(), clock });
  await engine.deploy([validation.definition]);
  await engine.startCampaign({ process: validation.definition.id, organisation: ORGANISATION, campaignId: 'c' });
  return { engine, clock };
}

function codes(text: string): string[] {
  return validateProcessText(text, { file: 'cycle.yaml' }).diagnostics.map((d) => d.code).filter((c) => c !== 'DSL_SCHEMA_COMMENT');
}

describe('given a yearly cycle over 2024–2026 (部署 1月, 自查 2–6月, 考核 11–12月, 年底排名)', () => {
  it('when validated, then it is valid; a dated window, a window longer than a cycle or no end are refused with their codes', () => {
    expect(codes(YEARLY_CYCLE)).toEqual([]);
    expect(codes(YEARLY_CYCLE.replace('window: 2月至6月', 'window: 2024年2月至6月'))).toEqual(['DSL_CYCLE_FIXED_DATE']);
    expect(codes(YEARLY_CYCLE.replace('due: 12月20日', 'due: 2024-12-20'))).toEqual(['DSL_CYCLE_FIXED_DATE']);
    expect(codes(YEARLY_CYCLE.replace('at: 年底', 'at: 2024年底'))).toEqual(['DSL_CYCLE_FIXED_DATE']);
    // 11月至次年2月 runs past the first cycle (2024-01-01 to 2024-12-31): the next cycle's 部署 would overlap it.
    expect(codes(YEARLY_CYCLE.replace('window: 11月至12月', 'window: 11月至次年2月'))).toEqual(['DSL_CYCLE_WINDOW_TOO_LONG']);
    expect(codes(YEARLY_CYCLE.replace('end: 2026-12-31\n', ''))).toEqual(['DSL_CYCLE_NO_END']);
    const dutyFrom = YEARLY_CYCLE.replace('      - { id: 自查报告, title: 报送自查报告, owner: 单位 }', '      - { id: 自查报告, title: 报送自查报告, owner: 单位 }\n    recurring:\n      - { id: 月报, title: 月报, owner: 单位, every: 每月, from: 2024-03-01 }');
    expect(codes(dutyFrom)).toEqual(['DSL_CYCLE_FIXED_DATE']);
  });

  it('when compiled, then a cycle\'s last phase goes on to the next cycle\'s first, the last cycle\'s to the end, and a decision\'s option to its own cycle\'s phase', () => {
    const plan = planOf(STANDING_CYCLE.replace('          - { id: 终止, next: end }', '          - { id: 终止, next: end }\n          - { id: 再查, next: 自查 }'));
    expect(plan.cycles?.length).toBe(50);
    expect(plan.cycles?.slice(0, 2)).toEqual([
      { label: '2024', start: shanghai('2024-01-01T00:00:00') },
      { label: '2025', start: shanghai('2025-01-01T00:00:00') },
    ]);
    expect(plan.phaseById.get('考核')?.next).toBe('部署.2025');
    expect(plan.phaseById.get('考核.2025')?.decisions[0]?.options.map((o) => o.next)).toEqual(['end', '自查.2025']);
    expect(plan.phaseById.get('自查.2025')).toMatchObject({ start: shanghai('2025-02-01T00:00:00'), end: shanghai('2025-11-01T00:00:00'), cycle: '2025' });
    expect(plan.phases.at(-1)).toMatchObject({ id: '考核.2073', next: 'end' });
  });

  it('when every unit does its work, then each has 3 of each phase\'s tasks, one per year due on the same day, named by the cycle after the first', async () => {
    const { engine, clock } = await started(YEARLY_CYCLE);
    for (;;) {
      for (const unit of ['c/甲', 'c/乙', 'c/丙'])
        for (const task of await engine.tasks(unit, { status: ['open'] }))
          if (task.kind === 'evaluation') await engine.send(unit, { type: 'score.given', evaluation: task.item, score: 80 });
          else await engine.send(unit, { type: 'task.completed', task: task.item });
      const next = await engine.nextTimerAt();
      if (next === undefined) break;
      clock.advanceTo(Math.max(next, clock.now()));
      await engine.runDueTimers();
    }
    for (const unit of ['c/甲', 'c/乙', 'c/丙']) {
      const tasks = await engine.tasks(unit);
      const of = (id: string) => tasks.filter((t) => t.item === id || t.item.startsWith(`${id}.`)).map((t) => [t.key, t.cycle, t.status, t.dueAt]);
      // Due at the end of the window's last day (31 January, 30 June) and on 20 December, in each year.
      expect(of('部署会议')).toEqual([
        ['部署会议', '2024', 'done', shanghai('2024-02-01T00:00:00')],
        ['部署会议.2025', '2025', 'done', shanghai('2025-02-01T00:00:00')],
        ['部署会议.2026', '2026', 'done', shanghai('2026-02-01T00:00:00')],
      ]);
      expect(of('自查报告')).toEqual([
        ['自查报告', '2024', 'done', shanghai('2024-07-01T00:00:00')],
        ['自查报告.2025', '2025', 'done', shanghai('2025-07-01T00:00:00')],
        ['自查报告.2026', '2026', 'done', shanghai('2026-07-01T00:00:00')],
      ]);
      expect(of('年度考核').map((t) => t[3])).toEqual(['2024-12-21', '2025-12-21', '2026-12-21'].map((d) => shanghai(`${d}T00:00:00`)));
      expect(tasks).toHaveLength(9);
      const rankings = (await engine.history(unit)).filter((h) => h.type === 'ranking.placed').map((h) => h.at);
      expect(rankings).toEqual(['2025-01-01', '2026-01-01', '2027-01-01'].map((d) => shanghai(`${d}T00:00:00`)));
      expect((await engine.state(unit)).phase).toBe('ended');
    }
    await engine.close();
  });

  it('when 甲 scores 90 then 70 and 乙 60 then 80, then 2024 ranks 甲 first and 2025 乙 first (on 2025\'s scores, where the means of both years would put 甲 first)', async () => {
    const { engine, clock } = await started(YEARLY_CYCLE);
    const scores: Record<string, [number, number, number]> = { 'c/甲': [90, 70, 50], 'c/乙': [60, 80, 50], 'c/丙': [10, 10, 10] };
    const ranks: Record<string, number[]> = { 'c/甲': [], 'c/乙': [], 'c/丙': [] };
    for (const [year, index] of [[2024, 0], [2025, 1]] as const) {
      await runUntil(engine, clock, shanghai(`${year}-11-10T10:00:00`));
      for (const [unit, s] of Object.entries(scores)) await engine.send(unit, { type: 'score.given', evaluation: '年度考核', score: s[index] });
      await runUntil(engine, clock, shanghai(`${year + 1}-01-01T00:00:00`));
      for (const unit of Object.keys(ranks)) {
        const subjects = await engine.subjects(unit);
        ranks[unit]?.push(subjects[0]?.ranks['年度排名'] ?? 0);
      }
    }
    expect(ranks).toEqual({ 'c/甲': [1, 2], 'c/乙': [2, 1], 'c/丙': [3, 3] });
    await engine.close();
  });

  it('when 丙 leaves its 2024 自查 report undone, then it is still overdue in 2025 and is completed late by naming cycle 2024; an unknown cycle is ENGINE_UNKNOWN_CYCLE and changes nothing', async () => {
    const { engine, clock } = await started(YEARLY_CYCLE);
    await runUntil(engine, clock, shanghai('2025-03-01T10:00:00'));
    expect((await engine.state('c/丙')).phase).toBe('自查.2025');
    const before = await engine.tasks('c/丙');
    expect(before.filter((t) => t.key.startsWith('自查报告')).map((t) => [t.key, t.status])).toEqual([
      ['自查报告', 'overdue'],
      ['自查报告.2025', 'open'],
    ]);
    const revision = (await engine.state('c/丙')).revision;
    const unknown = await engine.send('c/丙', { type: 'task.completed', task: '自查报告', cycle: '2023' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(EngineError);
    expect((unknown as EngineError).code).toBe('ENGINE_UNKNOWN_CYCLE');
    expect((await engine.state('c/丙')).revision).toBe(revision);
    // Named without a cycle: the cycle the unit is in (2025).
    await engine.send('c/丙', { type: 'task.completed', task: '自查报告' });
    await engine.send('c/丙', { type: 'task.completed', task: '自查报告', cycle: '2024' });
    const after = await engine.tasks('c/丙');
    expect(after.filter((t) => t.key.startsWith('自查报告')).map((t) => [t.key, t.status])).toEqual([
      ['自查报告', 'late'],
      ['自查报告.2025', 'done'],
    ]);
    await engine.close();
  });
});

describe('given a standing mechanism with a yearly cycle (长效机制: 每年部署 → 自查 → 考核)', () => {
  it('when it runs three years, then each year has its 部署 task, 3 quarterly reports in 2–10月 and one assessment, and the leading group closes it at a 考核', async () => {
    const { engine, clock } = await started(STANDING_CYCLE);
    for (;;) {
      for (const unit of ['c/甲', 'c/乙', 'c/丙'])
        for (const task of await engine.tasks(unit, { status: ['open'] }))
          if (task.kind === 'evaluation') await engine.send(unit, { type: 'score.given', evaluation: task.item, score: 80 });
          else await engine.send(unit, { type: 'task.completed', task: task.item });
      const next = await engine.nextTimerAt();
      if (next === undefined || next > shanghai('2026-12-01T00:00:00')) break;
      clock.advanceTo(Math.max(next, clock.now()));
      await engine.runDueTimers();
    }
    clock.advanceTo(shanghai('2026-12-01T00:00:00'));
    for (const unit of ['c/甲']) {
      const tasks = await engine.tasks(unit);
      expect(tasks.filter((t) => t.item.startsWith('部署会议')).map((t) => t.cycle)).toEqual(['2024', '2025', '2026']);
      // 每季度 inside 2–10月: every three months from the window's start, 1 February, 1 May and 1 August (1 November is past it).
      const quarters = tasks.filter((t) => t.item.startsWith('季度报告'));
      expect(quarters.map((t) => t.cycle)).toEqual(['2024', '2024', '2024', '2025', '2025', '2025', '2026', '2026', '2026']);
      expect(quarters.slice(3, 6).map((t) => t.key)).toEqual(['季度报告.2025#0', '季度报告.2025#1', '季度报告.2025#2']);
      expect(tasks.filter((t) => t.item.startsWith('年度考核')).map((t) => t.cycle)).toEqual(['2024', '2025', '2026']);
      expect((await engine.state(unit)).phase).toBe('考核.2026');
    }
    for (const unit of ['c/区委', 'c/甲', 'c/乙', 'c/丙']) await engine.send(unit, { type: 'decision.taken', decision: '机制调整', option: '终止' });
    for (const unit of ['c/区委', 'c/甲', 'c/乙', 'c/丙']) expect((await engine.state(unit)).phase).toBe('ended');
    await engine.close();
  });
});

describe('given a half-yearly cycle (每半年: 部署 the first month, 自查 the next four, 总结 the last)', () => {
  const HALF = YEARLY_CYCLE.replace('cycle: 每年', 'cycle: 每半年')
    .replace('window: 1月', 'window: 1月')
    .replace('window: 2月至6月', 'window: 2月至5月')
    .replace('window: 11月至12月', 'window: 6月')
    .replace('due: 12月20日', 'due: 6月20日')
    .replace('end: 2026-12-31', 'end: 2024-12-31')
    .replace('at: 年底', 'at: 6月底');

  it('when it runs 2024, then each unit has two of each task, the second half\'s six months on (30 June → 31 December), and two rankings', async () => {
    expect(codes(HALF)).toEqual([]);
    const { engine, clock } = await started(HALF);
    await runUntil(engine, clock, shanghai('2025-01-02T00:00:00'));
    const tasks = await engine.tasks('c/甲');
    expect(tasks.map((t) => [t.key, t.cycle, t.dueAt])).toEqual([
      ['部署会议', '2024-01', shanghai('2024-02-01T00:00:00')],
      ['自查报告', '2024-01', shanghai('2024-06-01T00:00:00')],
      ['年度考核', '2024-01', shanghai('2024-06-21T00:00:00')],
      ['部署会议.2024-07', '2024-07', shanghai('2024-08-01T00:00:00')],
      ['自查报告.2024-07', '2024-07', shanghai('2024-12-01T00:00:00')],
      ['年度考核.2024-07', '2024-07', shanghai('2024-12-21T00:00:00')],
    ]);
    const rankings = (await engine.history('c/甲')).filter((h) => h.type === 'ranking.placed').map((h) => h.at);
    expect(rankings).toEqual([shanghai('2024-07-01T00:00:00'), shanghai('2025-01-01T00:00:00')]);
    await engine.close();
  });
});

describe('given a half-yearly cycle with a yearly ladder, a flag that lasts a year and a rule on this cycle\'s score', () => {
  // "每半年一考核；半年内两次查实通报批评并取消评优；考核低于60分的予以约谈" — each half-year is a cycle, so
  // a ladder's and a flag's year is the cycle, and `scores.考核` is the score of the cycle the unit is in.
  const HALF_RULES = `
kind: campaign
id: 半年循环
title: 半年循环
source: { title: 测试 }
year: 2024
end: 2024-12-31
cycle: 每半年
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 考核办, title: 考核办, level: office }
flags:
  - { id: 取消评优, title: 取消评先评优, lasts: year }
actions:
  - { id: 提醒谈话, title: 提醒谈话, effect: notify }
  - { id: 通报批评, title: 通报批评, effect: criticise }
  - { id: 约谈, title: 约谈, effect: question }
phases:
  - id: 半年考核
    title: 半年考核
    window: 1月至6月
    evaluations:
      - { id: 考核, title: 半年考核, by: 考核办, subject: unit, due: 6月20日 }
ladders:
  - id: 投诉查实
    title: 两次查实通报批评
    on: { event: complaint-verified }
    subject: unit
    period: year
    rungs:
      - { level: 1, actions: [提醒谈话] }
      - { level: 2, actions: [通报批评], flags: [取消评优] }
consequences:
  - id: 低分当场约谈
    title: 打分低于60分当即约谈
    on: { event: score-given, when: "event.evaluation == '考核' and event.score < 60" }
    actions: [约谈]
  - id: 低分约谈
    title: 低于60分约谈
    on: { event: notified, when: "scores.考核 < 60" }
    actions: [约谈]
`;
  const plan = planOf(HALF_RULES);

  it('when complaints come in May and June, then the second climbs to rung 2 and flags the unit; in July the ladder starts again and the flag has lapsed; a low score read in July is July\'s cycle\'s, and event.evaluation names the evaluation as written', () => {
    expect(plan.periods).toEqual([shanghai('2024-01-01T00:00:00'), shanghai('2024-07-01T00:00:00')]);
    const records = recordsOf(plan, []);
    records.enter('半年考核', shanghai('2024-01-01T00:00:00'));
    records.apply({ type: 'score.given', evaluation: '考核', score: 50, at: shanghai('2024-03-01T10:00:00') });
    records.apply({ type: 'complaint.verified', at: shanghai('2024-05-10T10:00:00') });
    records.apply({ type: 'complaint.verified', at: shanghai('2024-06-10T10:00:00') });
    expect(records.context.flags).toEqual([['取消评优']]);
    // First half: 50 < 60.
    records.apply({ type: 'notified', at: shanghai('2024-06-11T10:00:00') });
    records.enter('半年考核.2024-07', shanghai('2024-07-01T00:00:00'));
    records.apply({ type: 'complaint.verified', at: shanghai('2024-07-10T10:00:00') });
    expect(records.context.flags).toEqual([null]);
    // Second half: scored 65, so no 约谈 — the mean of both halves, (50 + 65) / 2 = 57.5, would be under 60.
    records.apply({ type: 'score.given', evaluation: '考核.2024-07', score: 65, at: shanghai('2024-08-01T10:00:00') });
    records.apply({ type: 'notified', at: shanghai('2024-08-02T10:00:00') });
    // A score of 20 in the second half: `event.evaluation == '考核'` holds for 考核.2024-07 too.
    records.apply({ type: 'score.given', evaluation: '考核.2024-07', score: 20, at: shanghai('2024-08-03T10:00:00') });
    expect(records.effects.map((e) => e.cause)).toEqual([
      'consequence:低分当场约谈',
      'ladder:投诉查实:1',
      'ladder:投诉查实:2',
      'consequence:低分约谈',
      'ladder:投诉查实:1',
      'consequence:低分当场约谈',
    ]);
  });
});
