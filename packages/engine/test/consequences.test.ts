import { describe, expect, it } from 'vitest';
import { planOf, recordsOf, shanghai } from './support/records.js';

/** 抽查被通报 → 不能评先评优, 绩效不称职 (seed 002); a summary overdue counts on a ladder of the unit. */
const NOTICES = `
kind: campaign
id: 通报
title: 通报
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 党员, title: 党员, level: member }
flags:
  - { id: 取消评先评优, title: 取消评先评优 }
  - { id: 绩效不称职, title: 绩效不称职 }
actions:
  - { id: 约谈, title: 约谈, effect: admonish }
phases:
  - id: 实施
    title: 实施
    window: 3月至12月
    tasks:
      - { id: 总结, title: 总结, owner: 单位, due: 5月20日, onOverdue: { ladder: 逾期 } }
ladders:
  - id: 逾期
    title: 逾期
    subject: unit
    period: campaign
    rungs:
      - { level: 1, actions: [约谈] }
consequences:
  - id: 抽查被通报个人
    title: 抽查被通报的个人不能评先评优，年度绩效为不称职
    on: { event: notified, when: "event.inspection == '专项督查抽查'" }
    subject: member
    flags: [取消评先评优, 绩效不称职]
`;

describe('consequences and flags (后果与标记)', () => {
  const plan = planOf(NOTICES);
  const notified = (member: string | undefined, inspection: string, iso: string) =>
    ({ type: 'notified', inspection, at: shanghai(iso), ...(member === undefined ? {} : { member }) }) as const;

  it('when a member is named in a spot check’s notice, then both flags are set on that member once, however often', () => {
    const records = recordsOf(plan, ['u01-m1', 'u01-m2']);
    records.apply(notified('u01-m2', '专项督查抽查', '2024-05-06T10:00:00'));
    records.apply(notified('u01-m2', '专项督查抽查', '2024-06-06T10:00:00'));
    expect(records.context.flags).toEqual([null, null, ['取消评先评优', '绩效不称职']]);
  });

  it('when the notice comes from another inspection, then the condition on the event keeps the flags off', () => {
    const records = recordsOf(plan, ['u01-m1']);
    records.apply(notified('u01-m1', '日常检查', '2024-05-06T10:00:00'));
    expect(records.context.flags).toEqual([]);
  });

  it('when an outcome names a ladder (an overdue task’s), then the ladder counts for the unit and its rung acts', () => {
    const records = recordsOf(plan, ['u01-m1']);
    records.enter('实施', shanghai('2024-03-01T00:00:00'));
    // 5月20日: due when 20 May is over.
    const due = shanghai('2024-05-21T00:00:00');
    expect(records.context.tasks).toEqual([{ 总结: { s: 'open', due } }]);
    records.apply({ type: 'timer.fired', key: 'due:总结', dueAt: due, at: due });
    expect(records.context.tasks).toEqual([{ 总结: { s: 'overdue', due } }]);
    expect(records.context.ladders['逾期']).toEqual([{ n: 1, p: 'campaign' }]);
    expect(records.effects).toEqual([{ type: 'effect', effect: 'admonish', title: '约谈', cause: 'ladder:逾期:1', action: '约谈' }]);
  });
});
