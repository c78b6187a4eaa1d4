import { describe, expect, it } from 'vitest';
import { planOf, recordsOf, shanghai } from './support/records.js';

/*
 * Issue 18 defect 9: the validator offers each condition only the event fields the engine fills at
 * its spot (packages/dsl/src/validate/condition-names.ts). Each offered field is read here at run
 * time: a condition on it holds for the matching value and not for another, so an offer the engine
 * did not fill would show as a flag never set.
 */
const CAMPAIGN = `
kind: campaign
id: 字段
title: 字段
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 办公室, title: 办公室, level: office }
flags:
  - { id: 逾期标记, title: 逾期标记 }
  - { id: 逾期后果, title: 逾期后果 }
  - { id: 决定整改, title: 决定整改 }
  - { id: 低分, title: 低分 }
  - { id: 督查发现, title: 督查发现 }
  - { id: 督查后果, title: 督查后果 }
  - { id: 群众举报, title: 群众举报 }
phases:
  - id: 实施
    title: 实施
    window: 3月至12月
    exit: decision
    decisions:
      - id: 是否整改
        title: 是否整改
        by: 办公室
        options:
          - { id: 整改, title: 整改, next: end }
          - { id: 通过, title: 通过, next: end }
    tasks:
      - { id: 总结, title: 总结, owner: 单位, due: 5月20日, onOverdue: { when: "event.task == '总结'", flags: [逾期标记] } }
    evaluations:
      - { id: 自评, title: 自评, by: 单位 }
    inspections:
      - { id: 督查, title: 督查, by: 办公室, rectifyWithin: 15天, onFinding: { when: "event.inspection == '督查'", flags: [督查发现] } }
consequences:
  - { id: q1, title: q1, on: { event: task-overdue, when: "event.task == '总结'" }, flags: [逾期后果] }
  - { id: q2, title: q2, on: { event: decision-taken, when: "event.decision == '是否整改' and event.option == '整改'" }, flags: [决定整改] }
  - { id: q3, title: q3, on: { event: score-given, when: "event.evaluation == '自评' and event.score < 60" }, flags: [低分] }
  - { id: q4, title: q4, on: { event: finding-recorded, when: "event.inspection == '督查'" }, flags: [督查后果] }
  - { id: q5, title: q5, on: { event: complaint-verified, fields: [来源], when: "event.来源 == '群众举报'" }, flags: [群众举报] }
`;

describe('event fields the validator offers are the ones the engine fills', () => {
  const plan = planOf(CAMPAIGN);
  const at = shanghai('2024-06-01T10:00:00');

  it('event.task in a task-overdue trigger and in onOverdue', () => {
    const records = recordsOf(plan, []);
    records.enter('实施', shanghai('2024-03-01T00:00:00'));
    const due = shanghai('2024-05-21T00:00:00');
    records.apply({ type: 'timer.fired', key: 'due:总结', dueAt: due, at: due });
    expect(records.context.flags[0]).toEqual(['逾期标记', '逾期后果']);
  });

  it('event.decision and event.option in a decision-taken trigger', () => {
    const taken = recordsOf(plan, []);
    taken.enter('实施', shanghai('2024-03-01T00:00:00'));
    taken.apply({ type: 'decision.taken', decision: '是否整改', option: '整改', at });
    expect(taken.context.flags[0]).toEqual(['决定整改']);
    const other = recordsOf(plan, []);
    other.enter('实施', shanghai('2024-03-01T00:00:00'));
    other.apply({ type: 'decision.taken', decision: '是否整改', option: '通过', at });
    expect(other.context.flags[0] ?? null).toBeNull();
  });

  it('event.evaluation and event.score in a score-given trigger', () => {
    const records = recordsOf(plan, []);
    records.enter('实施', shanghai('2024-03-01T00:00:00'));
    records.apply({ type: 'score.given', evaluation: '自评', score: 70, at });
    expect(records.context.flags[0] ?? null).toBeNull();
    records.apply({ type: 'score.given', evaluation: '自评', score: 50, at });
    expect(records.context.flags[0]).toEqual(['低分']);
  });

  it('event.inspection in a finding-recorded trigger and in onFinding', () => {
    const records = recordsOf(plan, []);
    records.enter('实施', shanghai('2024-03-01T00:00:00'));
    records.apply({ type: 'finding.recorded', inspection: '督查', at });
    expect(records.context.flags[0]).toEqual(['督查发现', '督查后果']);
  });

  it('a declared host field (fields: [来源]) in a complaint-verified trigger', () => {
    const records = recordsOf(plan, []);
    records.apply({ type: 'complaint.verified', fields: { 来源: '上级交办' }, at });
    expect(records.context.flags[0] ?? null).toBeNull();
    records.apply({ type: 'complaint.verified', fields: { 来源: '群众举报' }, at });
    expect(records.context.flags[0]).toEqual(['群众举报']);
  });
});
