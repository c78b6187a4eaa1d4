import { describe, expect, it } from 'vitest';
import { planOf, recordsOf, shanghai } from './support/records.js';

/** 检查 → 发现问题 → 整改通知书 → 限期整改 → 复验, at most two rounds. */
const INSPECTED = `
kind: campaign
id: 督查
title: 督查
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
flags:
  - { id: 重点整改, title: 重点整改, subject: unit }
actions:
  - { id: 整改通知, title: 整改通知书, effect: notify }
  - { id: 复验不合格通报, title: 复验不合格通报, effect: criticise }
phases:
  - id: 实施
    title: 实施
    window: 3月至12月
    tasks:
      - { id: 总结, title: 总结, owner: 单位, due: 12月20日 }
    inspections:
      - id: 作风督查
        title: 作风督查
        by: 办公室
        rectifyWithin: 10天
        maxRounds: 2
        onFinding: { actions: [整改通知] }
        onFailed: { actions: [复验不合格通报] }
        onExhausted: { flags: [重点整改] }
`;

describe('an inspection loop (检查整改)', () => {
  const plan = planOf(INSPECTED);
  const at = (iso: string) => shanghai(iso);

  it('when a finding is recorded, then a first rectification round runs until ten days after the finding’s day', () => {
    const records = recordsOf(plan, []);
    records.apply({ type: 'finding.recorded', inspection: '作风督查', at: at('2024-05-06T10:00:00') });
    // Ten days after 6 May are 7 … 16 May; the deadline is when the 16th is over.
    expect(records.context.insp).toEqual({ 作风督查: { s: 'rectifying', round: 1, findings: 1, due: at('2024-05-17T00:00:00') } });
    expect(records.effects.map((e) => [e.action, e.cause])).toEqual([['整改通知', 'finding:作风督查']]);
    // A second finding while the round runs is counted, the round and its deadline stay.
    records.apply({ type: 'finding.recorded', inspection: '作风督查', at: at('2024-05-08T10:00:00') });
    expect(records.context.insp['作风督查']).toEqual({ s: 'rectifying', round: 1, findings: 2, due: at('2024-05-17T00:00:00') });
  });

  it('when the rectification is done and the re-inspection passes, then the loop is clear again', () => {
    const records = recordsOf(plan, []);
    records.apply({ type: 'finding.recorded', inspection: '作风督查', at: at('2024-05-06T10:00:00') });
    records.apply({ type: 'rectification.done', inspection: '作风督查', at: at('2024-05-10T10:00:00') });
    expect(records.context.insp['作风督查']?.s).toBe('reinspecting');
    records.apply({ type: 'reinspection.recorded', inspection: '作风督查', passed: true, at: at('2024-05-12T10:00:00') });
    expect(records.context.insp['作风督查']).toEqual({ s: 'clear', round: 0, findings: 1 });
  });

  it('when a re-inspection fails and then the second round’s deadline passes, then the loop is exhausted and the unit flagged', () => {
    const records = recordsOf(plan, []);
    records.apply({ type: 'finding.recorded', inspection: '作风督查', at: at('2024-05-06T10:00:00') });
    records.apply({ type: 'rectification.done', inspection: '作风督查', at: at('2024-05-10T10:00:00') });
    records.apply({ type: 'reinspection.recorded', inspection: '作风督查', passed: false, at: at('2024-05-13T10:00:00') });
    // Round 2, ten days counted from the failed re-inspection: 14 … 23 May.
    expect(records.context.insp['作风督查']).toEqual({ s: 'rectifying', round: 2, findings: 1, due: at('2024-05-24T00:00:00') });
    records.apply({ type: 'timer.fired', key: 'rectify:作风督查', dueAt: at('2024-05-24T00:00:00'), at: at('2024-05-24T00:00:00') });
    expect(records.context.insp['作风督查']).toEqual({ s: 'exhausted', round: 2, findings: 1 });
    expect(records.context.flags).toEqual([['重点整改']]);
    expect(records.effects.map((e) => e.cause)).toEqual(['finding:作风督查', 'reinspection:作风督查:1', 'reinspection:作风督查:2']);
  });

  it('when a rectification deadline fires after the rectification was reported done, then nothing changes', () => {
    const records = recordsOf(plan, []);
    records.apply({ type: 'finding.recorded', inspection: '作风督查', at: at('2024-05-06T10:00:00') });
    records.apply({ type: 'rectification.done', inspection: '作风督查', at: at('2024-05-10T10:00:00') });
    const before = records.context;
    records.apply({ type: 'timer.fired', key: 'rectify:作风督查', dueAt: at('2024-05-17T00:00:00'), at: at('2024-05-17T00:00:00') });
    expect(records.context).toBe(before);
  });
});
