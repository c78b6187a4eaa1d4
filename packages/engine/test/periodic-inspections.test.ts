import { describe, expect, it } from 'vitest';
import { initialContext } from '../src/runtime/instance-context.js';
import { RecordKeeper } from '../src/runtime/record-keeper.js';
import { validateHostEvent } from '../src/runtime/validate-event.js';
import { planOf, recordsOf, shanghai } from './support/records.js';

/**
 * 定期检查 — "督查组每月对各单位开展一次督查": an inspection with `every:` (issue 18). Each month of
 * its phase the inspector owes each unit one inspection; a finding or a clean result does it.
 */
const MONTHLY = `
kind: campaign
id: 月度督查活动
title: 月度督查活动
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 督查组, title: 督查组, level: office }
  - { id: 单位, title: 各单位, level: unit }
actions:
  - { id: 整改通知, title: 整改通知书, effect: notify }
phases:
  - id: 实施
    title: 实施
    window: 4月至6月
    inspections:
      - id: 月度督查
        title: 每月督查
        by: 督查组
        every: 每月
        rectifyWithin: 10天
        onFinding: { actions: [整改通知] }
`;

const DAY = 86_400_000;

describe('a periodic inspection (定期检查, every: 每月)', () => {
  const plan = planOf(MONTHLY);
  const [april, may, june, july] = ['04', '05', '06', '07'].map((m) => shanghai(`2024-${m}-01T00:00:00`)) as [number, number, number, number];
  const recur = (dueAt: number) => ({ type: 'timer.fired', key: 'recur:月度督查', dueAt, at: dueAt }) as const;
  const own = (context: { tasks: readonly ({ readonly [key: string]: { s: string; due?: number } | undefined } | null)[] }) => context.tasks[0] ?? {};

  it('when its months come, then each opens one inspection of the unit for the inspector, due when the next month starts', () => {
    const item = plan.items.get('月度督查');
    expect([item?.kind, item?.owner, item?.holder, item?.required]).toEqual(['inspection', '督查组', 'unit', false]);
    // 4月至6月, monthly: April, May and June, each due when the next starts; June's by the phase end.
    expect(item?.recurrence?.starts).toEqual([april, may, june]);
    expect(item?.recurrence?.dues.slice(0, 2)).toEqual([may, june]);
    expect(item?.recurrence?.dues[2]).toBeLessThanOrEqual(july);
    const records = recordsOf(plan, []);
    records.enter('实施', april);
    records.apply(recur(april));
    expect(own(records.context)['月度督查#0']).toMatchObject({ s: 'open', due: may });
    expect(own(records.context)['月度督查#1']).toBeUndefined();
  });

  it('when April brings a finding, May a clean result and June nothing, then April and May are done, June overdue, and April’s finding runs its rectification round', () => {
    const records = recordsOf(plan, []);
    records.enter('实施', april);
    records.apply(recur(april));
    records.apply({ type: 'finding.recorded', inspection: '月度督查', at: april + 9 * DAY });
    records.apply(recur(may));
    // The clean result: the inspector completes the month's inspection, nothing found.
    records.apply({ type: 'task.completed', task: '月度督查', at: may + 4 * DAY });
    records.apply(recur(june));
    records.apply({ type: 'timer.fired', key: 'due:月度督查#2', dueAt: july, at: july });
    const tasks = own(records.context);
    expect([tasks['月度督查#0']?.s, tasks['月度督查#1']?.s, tasks['月度督查#2']?.s]).toEqual(['done', 'done', 'overdue']);
    // The finding of 10 April: a rectification round of ten days, and its notice.
    expect(records.context.insp['月度督查']).toMatchObject({ s: 'rectifying', round: 1, findings: 1 });
    expect(records.effects.filter((e) => e.action === '整改通知')).toHaveLength(1);
  });

  it('when a clean result is sent, then only the inspector may send it, and only while the month’s inspection is open', () => {
    const records = recordsOf(plan, []);
    records.enter('实施', april);
    records.apply(recur(april));
    const clean = { type: 'task.completed', task: '月度督查' } as const;
    expect(() => validateHostEvent(plan, records.context, '实施', clean, { actor: 'u01-staff', roles: ['单位'] })).toThrow(
      expect.objectContaining({ code: 'ENGINE_FORBIDDEN' }),
    );
    expect(validateHostEvent(plan, records.context, '实施', clean, { actor: 'inspector', roles: ['督查组'] })).toMatchObject({ task: '月度督查' });
    records.apply({ ...clean, at: april + DAY } as const);
    expect(() => validateHostEvent(plan, records.context, '实施', clean, { actor: 'inspector', roles: ['督查组'] })).toThrow(
      expect.objectContaining({ code: 'ENGINE_TASK_NOT_OPEN' }),
    );
  });

  it('when the inspection has no every:, then it owes nothing on a calendar: findings come when the host records them', () => {
    const unscheduled = planOf(MONTHLY.replace('        every: 每月\n', ''));
    expect(unscheduled.items.has('月度督查')).toBe(false);
    const records = recordsOf(unscheduled, []);
    records.enter('实施', april);
    expect(Object.keys(own(records.context))).toEqual([]);
  });

  it('when an instance was started before inspections were scheduled, then its phase opens no inspection occurrences (it runs as it started)', () => {
    const context = initialContext({ campaignId: 'c', unit: 'u01', office: false, unitWork: true, members: [], startedAt: plan.start });
    const step = new RecordKeeper(plan, context).enterPhase('实施', april);
    expect(Object.keys(step.context.tasks[0] ?? {})).toEqual([]);
    expect(step.context.recur['月度督查']).toBeUndefined();
  });
});
