import { describe, expect, it } from 'vitest';
import { validateHostEvent } from '../src/runtime/validate-event.js';
import { planOf, recordsOf, shanghai } from './support/records.js';

/**
 * The options of the rules, each shown to change what runs (issue 18, construct coverage): an
 * outcome's condition, a consequence's actions, an inspection without re-inspection and one of
 * members, a ranking band's condition and flags.
 */
const CAMPAIGN = `
kind: campaign
id: 规则选项
title: 规则选项
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
flags:
  - { id: 重点关注, title: 重点关注, subject: unit }
  - { id: 后进, title: 后进单位, subject: unit }
actions:
  - { id: 通报, title: 通报批评, effect: criticise }
  - { id: 约谈, title: 约谈, effect: admonish }
phases:
  - id: 实施
    title: 实施
    window: 3月至12月
    tasks:
      - { id: 总结, title: 总结, owner: 单位, due: 5月20日 }
    evaluations:
      - { id: 测评, title: 测评, by: 办公室, due: 11月30日 }
    inspections:
      - { id: 督查, title: 督查, by: 办公室, rectifyWithin: 10天, reinspect: false, onFinding: { when: flags.重点关注, actions: [通报] } }
      - { id: 个人督查, title: 个人督查, by: 办公室, subject: member, rectifyWithin: 10天 }
consequences:
  - { id: 逾期关注, title: 逾期关注, on: { event: task-overdue }, flags: [重点关注], actions: [约谈] }
rankings:
  - id: 评比
    title: 评比
    subject: unit
    at: 12月20日
    weights: { 测评: 1 }
    bottom: { count: 1, when: flags.重点关注, flags: [后进] }
`;

const plan = planOf(CAMPAIGN);
const DAY = 86_400_000;
const march = shanghai('2024-03-01T00:00:00');
const overdue = shanghai('2024-05-21T00:00:00');
const june = shanghai('2024-06-03T10:00:00');

describe('the options of rules (后果、检查、评比)', () => {
  it('when a finding comes before and after the unit is flagged 重点关注, then only the second is circulated (onFinding’s when), and the overdue 总结 both flags and 约谈 (the consequence’s actions)', () => {
    const records = recordsOf(plan, []);
    records.enter('实施', march);
    records.apply({ type: 'finding.recorded', inspection: '督查', at: march + 10 * DAY });
    expect(records.effects.filter((e) => e.action === '通报')).toHaveLength(0);
    records.apply({ type: 'timer.fired', key: 'due:总结', dueAt: overdue, at: overdue });
    expect(records.context.flags[0]).toEqual(['重点关注']);
    expect(records.effects.filter((e) => e.action === '约谈')).toHaveLength(1);
    records.apply({ type: 'rectification.done', inspection: '督查', at: june });
    records.apply({ type: 'finding.recorded', inspection: '督查', at: june + DAY });
    expect(records.effects.filter((e) => e.action === '通报')).toHaveLength(1);
  });

  it('when a rectification is reported done for an inspection with reinspect: false, then the loop is clear at once, with no re-inspection to wait for', () => {
    const records = recordsOf(plan, []);
    records.enter('实施', march);
    records.apply({ type: 'finding.recorded', inspection: '督查', at: march + DAY });
    records.apply({ type: 'rectification.done', inspection: '督查', at: march + 3 * DAY });
    expect(records.context.insp['督查']?.s).toBe('clear');
    const reinspection = { type: 'reinspection.recorded', inspection: '督查', passed: true };
    expect(() => validateHostEvent(plan, records.context, '实施', reinspection)).toThrow(expect.objectContaining({ code: 'ENGINE_INSPECTION_STATE' }));
  });

  it('when an inspection is of members (subject: member), then a finding names a member and starts that member’s round alone', () => {
    const records = recordsOf(plan, ['张三', '李四']);
    records.enter('实施', march);
    expect(() => validateHostEvent(plan, records.context, '实施', { type: 'finding.recorded', inspection: '个人督查' })).toThrow(
      expect.objectContaining({ code: 'ENGINE_INVALID_PAYLOAD' }),
    );
    records.apply({ type: 'finding.recorded', inspection: '个人督查', member: '张三', at: march + DAY });
    const done = (member: string) => ({ type: 'rectification.done', inspection: '个人督查', member });
    expect(validateHostEvent(plan, records.context, '实施', done('张三'))).toMatchObject({ member: '张三' });
    expect(() => validateHostEvent(plan, records.context, '实施', done('李四'))).toThrow(expect.objectContaining({ code: 'ENGINE_INSPECTION_STATE' }));
  });

  it('when two units are placed in the bottom band, then only the one its when holds for (重点关注) is flagged 后进', () => {
    const flagged = recordsOf(plan, []);
    flagged.enter('实施', march);
    flagged.apply({ type: 'timer.fired', key: 'due:总结', dueAt: overdue, at: overdue });
    const clean = recordsOf(plan, []);
    clean.enter('实施', march);
    const placed = { type: 'ranking.placed', ranking: '评比', places: [{ subject: 'u', rank: 2, band: 'bottom' }], at: shanghai('2024-12-21T00:00:00') } as const;
    flagged.apply(placed);
    clean.apply(placed);
    expect(flagged.context.flags[0]).toEqual(['重点关注', '后进']);
    expect(clean.context.flags[0] ?? []).toEqual([]);
  });
});
