import { describe, expect, it } from 'vitest';
import { runUntil } from '@luoshi/engine';
import { engineWith, shanghai } from './support/harness.js';
import { planOf, recordsOf } from './support/records.js';
import { YEARLY_CYCLE } from '../../../test/support/cycles.js';

/*
 * 等次评定 — grades by score (issue 19): a year-end grading over weighted evaluations with four bands,
 * a one-vote veto (一票否决) and a ranking that reads the grade; and a pass that a later spot check
 * takes away (摘帽, directive D1). Expected grades are hand arithmetic: weights × mean scores → band.
 */
const YEAR_END = `
kind: campaign
id: 年度考核
title: 年度考核
source: { title: 测试 }
year: 2024
subjects: [unit]
scale: { units: 3 }
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 考核办, title: 考核办公室, level: office }
flags:
  - { id: 评优, title: 年度评优, lasts: campaign }
  - { id: 达标, title: 考核达标, lasts: campaign }
  - { id: 发生重大安全事故, title: 发生重大安全事故, lasts: campaign }
  - { id: 先进单位, title: 先进单位, lasts: campaign }
actions:
  - { id: 表彰, title: 通报表彰, effect: commend }
  - { id: 约谈, title: 约谈主要负责人, effect: admonish }
phases:
  - id: 实施
    title: 实施
    window: 2024-01-01..2024-12-31
    evaluations:
      - { id: 自评, title: 单位自评, by: 单位, subject: unit, due: 12月20日 }
      - { id: 考核, title: 年度考核, by: 考核办, subject: unit, due: 12月20日 }
consequences:
  - id: 事故
    title: 发生重大安全事故
    on: { event: notified }
    subject: unit
    flags: [发生重大安全事故]
grades:
  - id: 年度等次
    title: 年度考核等次
    subject: unit
    at: 年底
    weights: { 自评: 0.3, 考核: 0.7 }
    bands:
      - { grade: 优秀, min: 90, flags: [评优], actions: [表彰] }
      - { grade: 良好, min: 80, below: 90 }
      - { grade: 合格, min: 60, flags: [达标] }
      - { grade: 不合格, actions: [约谈] }
    veto: { flags: [发生重大安全事故], cap: 不合格 }
rankings:
  - id: 先进评选
    title: 先进单位评选
    subject: unit
    at: 年底
    weights: { 自评: 0.3, 考核: 0.7 }
    eligible: "grades.年度等次 != '不合格'"
    top: { count: 1, flags: [先进单位] }
`;

describe('grades by score (等次评定)', () => {
  it('when three units are scored and one has a major accident, then at year end each gets the band of 0.3 × 自评 + 0.7 × 考核, the vetoed one 不合格, and the ranking skips it', async () => {
    const h = await engineWith(YEAR_END, { start: '2024-01-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: { id: '区委', units: [{ id: '甲' }, { id: '乙' }, { id: '丙' }] }, campaignId: 'c' });
    const score = async (unit: string, self: number, assessed: number) => {
      await h.engine.send(`c/${unit}`, { type: 'score.given', evaluation: '自评', score: self });
      await h.engine.send(`c/${unit}`, { type: 'score.given', evaluation: '考核', score: assessed });
    };
    h.clock.advanceTo(shanghai('2024-06-01T10:00:00'));
    // 甲: 0.3 × 100 + 0.7 × 90 = 93 → 优秀. 乙: 0.3 × 100 + 0.7 × 95 = 96.5 → 优秀 by score, but the
    // accident vetoes it → 不合格. 丙: 0.3 × 50 + 0.7 × 70 = 64 → 合格.
    await score('甲', 100, 90);
    await score('乙', 100, 95);
    await score('丙', 50, 70);
    await h.engine.send('c/乙', { type: 'notified' });
    // Before the date nobody is graded.
    expect((await h.engine.subjects('c/甲'))[0]?.grades).toEqual({});
    await runUntil(h.engine, h.clock, shanghai('2025-01-02T00:00:00'));
    const unit = async (id: string) => (await h.engine.subjects(`c/${id}`))[0];
    expect((await unit('甲'))?.grades).toEqual({ 年度等次: '优秀' });
    expect((await unit('乙'))?.grades).toEqual({ 年度等次: '不合格' });
    expect((await unit('丙'))?.grades).toEqual({ 年度等次: '合格' });
    expect((await unit('甲'))?.flags).toEqual(['评优', '先进单位']);
    expect((await unit('乙'))?.flags).toEqual(['发生重大安全事故']);
    expect((await unit('丙'))?.flags).toEqual(['达标']);
    // The band's actions: 表彰 for 甲, 约谈 for the vetoed 乙, none for 丙.
    const byAction = h.effects.filter((e) => e.cause.startsWith('grade:')).map((e) => [e.unitId, e.action, e.cause]);
    expect(byAction).toEqual(
      expect.arrayContaining([
        ['甲', '表彰', 'grade:年度等次:优秀'],
        ['乙', '约谈', 'grade:年度等次:不合格'],
      ]),
    );
    expect(byAction).toHaveLength(2);
    // The ranking at the same date reads the grade: 乙, best by score, is not eligible; 甲 is placed first.
    expect((await unit('甲'))?.ranks).toEqual({ 先进评选: 1 });
    expect((await unit('乙'))?.ranks).toEqual({});
    // The office does no unit-level work and is not graded.
    expect((await h.engine.subjects('c/区委'))[0]?.grades).toEqual({});
    // The instance states (CLI status, HTTP) show the unit's grade; the outcomes count subjects per band.
    const states = await h.engine.instances('c');
    expect(Object.fromEntries(states.map((s) => [s.unitId, s.grades]))).toEqual({
      区委: undefined,
      甲: { 年度等次: '优秀' },
      乙: { 年度等次: '不合格' },
      丙: { 年度等次: '合格' },
    });
    expect((await h.engine.outcomes('c')).grades).toEqual({ 年度等次: { 优秀: 1, 良好: 0, 合格: 1, 不合格: 1 } });
  });

  it('when a unit has no score at the date, then a missing evaluation counts 0 and it is graded 不合格', async () => {
    const h = await engineWith(YEAR_END, { start: '2024-01-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: { id: '区委', units: [{ id: '甲' }] }, campaignId: 'c' });
    h.clock.advanceTo(shanghai('2024-06-01T10:00:00'));
    // 0.3 × 100 + 0.7 × 0 = 30 → 不合格.
    await h.engine.send('c/甲', { type: 'score.given', evaluation: '自评', score: 100 });
    await runUntil(h.engine, h.clock, shanghai('2025-01-02T00:00:00'));
    expect((await h.engine.subjects('c/甲'))[0]?.grades).toEqual({ 年度等次: '不合格' });
  });
});

/** D1: a town that passed stays open to random spot checks; failing one removes its pass (摘帽). */
const D1 = `
kind: campaign
id: 小城镇验收
title: 小城镇环境综合整治考核验收
source: { title: 测试 }
year: 2017
subjects: [unit]
roles:
  - { id: 省整治办, title: 省整治办, level: office }
flags:
  - { id: 达标镇, title: 达标乡镇, lasts: campaign }
phases:
  - id: 验收
    title: 考核验收
    window: 2017-01-01..2017-12-31
    evaluations:
      - { id: 考核验收, title: 考核验收, by: 省整治办, subject: unit }
      - { id: 抽查, title: 随机抽查, by: 省整治办, subject: unit }
grades:
  - id: 验收结果
    title: 验收结果
    subject: unit
    weights: { 考核验收: 1 }
    bands:
      - { grade: 达标, min: 60, flags: [达标镇] }
      - { grade: 未达标 }
    recheck: [抽查]
`;

describe('re-assessment (摘帽)', () => {
  const plan = planOf(D1);
  const scored = (evaluation: string, score: number, iso: string) => ({ type: 'score.given', evaluation, score, at: shanghai(iso) }) as const;

  it('when the acceptance is scored 85, then the town passes at once (no date: graded when its evaluations are scored) and carries 达标镇', () => {
    const records = recordsOf(plan, []);
    records.apply(scored('考核验收', 85, '2017-09-01T10:00:00'));
    expect(records.context.grades).toEqual({ 验收结果: ['达标'] });
    expect(records.context.flags).toEqual([['达标镇']]);
  });

  it('when a passed town fails a later spot check (50), then it loses the pass: 未达标, 达标镇 removed, a grade-changed effect from 达标 to 未达标; a better spot check after that gives nothing back', () => {
    const records = recordsOf(plan, []);
    records.apply(scored('考核验收', 85, '2017-09-01T10:00:00'));
    records.apply(scored('抽查', 50, '2017-11-01T10:00:00'));
    expect(records.context.grades).toEqual({ 验收结果: ['未达标'] });
    expect(records.context.flags).toEqual([null]);
    expect(records.effects.map((e) => [e.effect, e.cause, e.title])).toEqual([['grade-changed', 'grade:验收结果:达标→未达标', '验收结果：达标 → 未达标']]);
    records.apply(scored('抽查', 95, '2017-12-01T10:00:00'));
    expect(records.context.grades).toEqual({ 验收结果: ['未达标'] });
    expect(records.effects).toHaveLength(1);
  });

  it('when a spot check is passed (70), then the grade stays and nothing is raised', () => {
    const records = recordsOf(plan, []);
    records.apply(scored('考核验收', 85, '2017-09-01T10:00:00'));
    records.apply(scored('抽查', 70, '2017-11-01T10:00:00'));
    expect(records.context.grades).toEqual({ 验收结果: ['达标'] });
    expect(records.effects).toEqual([]);
  });

  it('when a town not yet graded is spot-checked, then it stays ungraded: a spot check re-assesses, it does not assess', () => {
    const records = recordsOf(plan, []);
    records.apply(scored('抽查', 30, '2017-08-01T10:00:00'));
    expect(records.context.grades).toBeUndefined();
  });

  it('when a campaign has no grading, then its records never carry grades (snapshots keep the shape they had)', () => {
    const plain = planOf(D1.replace(/grades:[\s\S]*$/, ''));
    const records = recordsOf(plain, []);
    records.apply(scored('考核验收', 85, '2017-09-01T10:00:00'));
    expect('grades' in records.context).toBe(false);
  });
});

/** 党员评议等次: a grading of members, graded as each member's evaluations are scored. */
const MEMBERS = `
kind: campaign
id: 民主评议
title: 民主评议党员
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 支部, title: 支部, level: unit }
phases:
  - id: 评议
    title: 评议
    window: 2024-01-01..2024-12-31
    evaluations:
      - { id: 自评, title: 个人自评, by: 支部, subject: member }
      - { id: 互评, title: 党员互评, by: 支部, subject: member }
grades:
  - id: 评议等次
    title: 评议等次
    subject: member
    weights: { 自评: 1, 互评: 3 }
    bands:
      - { grade: 优秀, min: 90 }
      - { grade: 合格, min: 60 }
      - { grade: 不合格 }
`;

describe('grades of members', () => {
  it('when members are scored, then each is graded once both evaluations have a score, by (自评 + 3 × 互评) / 4, and the unit is not', () => {
    const records = recordsOf(planOf(MEMBERS), ['m1', 'm2']);
    const at = shanghai('2024-06-01T10:00:00');
    records.apply({ type: 'score.given', evaluation: '自评', score: 100, member: 'm1', at });
    // Only 自评 so far: not graded yet.
    expect(records.context.grades).toBeUndefined();
    // m1: (100 + 3 × 90) / 4 = 92.5 → 优秀. m2: (60 + 3 × 70) / 4 = 67.5 → 合格.
    records.apply({ type: 'score.given', evaluation: '互评', score: 90, member: 'm1', at });
    records.apply({ type: 'score.given', evaluation: '自评', score: 60, member: 'm2', at });
    records.apply({ type: 'score.given', evaluation: '互评', score: 70, member: 'm2', at });
    expect(records.context.grades).toEqual({ 评议等次: [null, '优秀', '合格'] });
    // A second 互评 for m1 (mean (90 + 50) / 2 = 70): (100 + 3 × 70) / 4 = 77.5 → 合格, a change the host is told of.
    records.apply({ type: 'score.given', evaluation: '互评', score: 50, member: 'm1', at });
    expect(records.context.grades).toEqual({ 评议等次: [null, '合格', '合格'] });
    expect(records.effects.map((e) => [e.effect, e.member, e.cause])).toEqual([['grade-changed', 'm1', 'grade:评议等次:优秀→合格']]);
  });
});

describe('grades in a yearly cycle (周期)', () => {
  it('when 甲 scores 90 then 70 and 乙 60 then 85, then 2024 grades 甲 优秀 and 乙 合格, and 2025, on 2025’s scores alone, 甲 合格 and 乙 良好', async () => {
    const text = `${YEARLY_CYCLE}grades:
  - id: 年度等次
    title: 年度考核等次
    subject: unit
    at: 年底
    weights: { 年度考核: 1 }
    bands:
      - { grade: 优秀, min: 90 }
      - { grade: 良好, min: 80 }
      - { grade: 合格, min: 60 }
      - { grade: 不合格 }
`;
    const h = await engineWith(text, { start: '2024-01-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: { id: '区委', units: [{ id: '甲' }, { id: '乙' }] }, campaignId: 'c' });
    const scores: Record<string, [number, number]> = { 甲: [90, 70], 乙: [60, 85] };
    const grades: Record<string, (string | undefined)[]> = { 甲: [], 乙: [] };
    for (const [year, index] of [[2024, 0], [2025, 1]] as const) {
      await runUntil(h.engine, h.clock, shanghai(`${year}-11-10T10:00:00`));
      for (const [unit, s] of Object.entries(scores)) await h.engine.send(`c/${unit}`, { type: 'score.given', evaluation: '年度考核', score: s[index] });
      await runUntil(h.engine, h.clock, shanghai(`${year + 1}-01-01T00:00:00`));
      for (const unit of Object.keys(grades)) grades[unit]?.push((await h.engine.subjects(`c/${unit}`))[0]?.grades['年度等次']);
    }
    // The means of both years would give 甲 80 (良好) and 乙 72.5 (合格); each cycle is graded on its own.
    expect(grades).toEqual({ 甲: ['优秀', '合格'], 乙: ['合格', '良好'] });
    // Each change after the first grading is told to the host.
    expect(h.effects.filter((e) => e.effect === 'grade-changed').map((e) => [e.unitId, e.cause]).sort()).toEqual([
      ['乙', 'grade:年度等次:合格→良好'],
      ['甲', 'grade:年度等次:优秀→合格'],
    ]);
  });
});
