import { describe, expect, it } from 'vitest';
import { rankSubjects } from '../src/runtime/ranking.js';
import { planOf, recordsOf, shanghai } from './support/records.js';

/** 党员自评 on a 0–100 scale; a member whose own mean is under 60 is flagged (a consequence of score-given). */
const SCORED = `
kind: campaign
id: 评分
title: 评分
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 党员, title: 党员, level: member }
flags:
  - { id: 低分, title: 低分 }
phases:
  - id: 实施
    title: 实施
    window: 3月至6月
    evaluations:
      - { id: 自评, title: 党员自评, by: 单位, subject: member, scale: { min: 0, max: 100 }, due: 6月20日 }
consequences:
  - id: 低分标记
    title: 自评低于60分的党员标记低分
    on: { event: score-given, when: "subject.kind == 'member' and scores.自评 < 60" }
    subject: member
    flags: [低分]
`;

describe('evaluations and scores (评价与得分)', () => {
  const plan = planOf(SCORED);

  it('when members are scored, then each score is summed in its slot, the evaluation task is done once, and conditions read each member’s own mean', () => {
    const records = recordsOf(plan, ['u01-m1', 'u01-m2']);
    records.enter('实施', shanghai('2024-03-01T00:00:00'));
    const score = (member: string, value: number, iso: string) =>
      records.apply({ type: 'score.given', evaluation: '自评', score: value, member, at: shanghai(iso) });
    score('u01-m2', 70, '2024-04-01T10:00:00');
    score('u01-m1', 50, '2024-04-02T10:00:00');
    score('u01-m2', 40, '2024-04-03T10:00:00');
    // [sum, count] per slot: the unit, u01-m1 (50 once), u01-m2 (70 + 40).
    expect(records.context.scores).toEqual({ 自评: [0, 0, 50, 1, 110, 2] });
    expect(records.context.tasks.map((own) => own?.['自评']?.s)).toEqual([undefined, 'done', 'done']);
    // u01-m2's mean was 70 when first scored, 55 after the second score; u01-m1's 50.
    expect(records.context.flags).toEqual([null, ['低分'], ['低分']]);
  });
});

/** 每季度评比检查 from March to November, scored by the office: occurrences start on 1 March, 1 June and 1 September. */
const QUARTERLY = `
kind: campaign
id: 季度评比
title: 季度评比
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 考评办, title: 考评办公室, level: office }
phases:
  - id: 实施
    title: 实施
    window: 3月至11月
    evaluations:
      - { id: 评比检查, title: 每季度评比检查, by: 考评办, subject: unit, every: 每季度 }
rankings:
  - { id: 年底评比, title: 年底评比, subject: unit, at: 11月30日, weights: { 评比检查: 1 } }
`;

describe('an evaluation with every: (每季度评比检查, issue 18 defect 1)', () => {
  const plan = planOf(QUARTERLY);
  const [march, june, september, december] = ['03', '06', '09', '12'].map((m) => shanghai(`2024-${m}-01T00:00:00`)) as [number, number, number, number];
  const recur = (dueAt: number) => ({ type: 'timer.fired', key: 'recur:评比检查', dueAt, at: dueAt }) as const;

  it('when its quarters come, then each opens its own scoring, due when the next one starts (the last at the end of the phase)', () => {
    expect(plan.items.get('评比检查')?.recurrence?.starts).toEqual([march, june, september]);
    expect(plan.items.get('评比检查')?.recurrence?.dues).toEqual([june, september, december]);
  });

  it('when two of three quarters are scored, then each scored one is done, the missed one overdue, and the ranking reads the mean of the two scored', () => {
    const records = recordsOf(plan, []);
    records.enter('实施', march);
    records.apply(recur(march));
    records.apply({ type: 'score.given', evaluation: '评比检查', score: 80, at: march + 86_400_000 });
    records.apply(recur(june));
    records.apply({ type: 'score.given', evaluation: '评比检查', score: 60, at: june + 86_400_000 });
    records.apply(recur(september));
    records.apply({ type: 'timer.fired', key: 'due:评比检查#2', dueAt: december, at: december });
    const own = records.context.tasks[0] ?? {};
    expect([own['评比检查#0']?.s, own['评比检查#1']?.s, own['评比检查#2']?.s]).toEqual(['done', 'done', 'overdue']);
    // (80 + 60) / 2: the quarter never scored is not counted as 0.
    const [ranked] = rankSubjects(plan.rankings[0]!, [{ id: 'c/u01', context: records.context }]);
    expect(ranked?.score).toBe(70);
  });
});
