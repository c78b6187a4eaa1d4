import { describe, expect, it } from 'vitest';
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
