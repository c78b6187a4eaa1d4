import { describe, expect, it } from 'vitest';
import { desiredTimers } from '../src/runtime/desired-timers.js';
import { planOf, recordsOf, shanghai } from './support/records.js';

/*
 * 活动年度 (issue 18, defect 4): a campaign whose year runs February to February, over two such
 * years. A ladder counting per year starts again on 1 February, not on 1 January; a flag that lasts
 * a year lapses on 1 February of the next campaign year; one that lasts the campaign stays.
 */
const FEBRUARY_YEARS = `
kind: campaign
id: 长效机制
title: 长效机制
source: { title: 测试 }
year: 2024
end: 2026-01-31
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
flags:
  - { id: 取消评优, title: 取消当年评先评优, lasts: year }
  - { id: 重点整改, title: 列为重点整改单位, lasts: campaign }
actions:
  - { id: 提醒谈话, title: 提醒谈话, effect: notify }
  - { id: 通报批评, title: 通报批评, effect: criticise }
phases:
  - id: 实施
    title: 实施
    window: 2024-02-01..2026-01-31
    tasks:
      - { id: 总结, title: 总结, owner: 单位, due: 2026-01-20 }
ladders:
  - id: 投诉查实
    title: 一次查实提醒谈话、两次查实通报批评
    on: { event: complaint-verified }
    subject: unit
    period: year
    rungs:
      - { level: 1, actions: [提醒谈话] }
      - { level: 2, actions: [通报批评], flags: [取消评优, 重点整改] }
`;

describe('campaign periods (活动年度): February to February', () => {
  const plan = planOf(FEBRUARY_YEARS);
  const complaint = (iso: string) => ({ type: 'complaint.verified', at: shanghai(iso) }) as const;

  it('when the campaign starts on 1 February, then its periods start on 1 February of each year', () => {
    expect(plan.periods).toEqual([shanghai('2024-02-01T00:00:00'), shanghai('2025-02-01T00:00:00')]);
  });

  it('when complaints come in December and January of one campaign year, then the ladder counts them together; in February it starts again', () => {
    const records = recordsOf(plan, []);
    records.apply(complaint('2024-12-10T10:00:00'));
    records.apply(complaint('2025-01-10T10:00:00'));
    records.apply(complaint('2025-02-10T10:00:00'));
    expect(records.effects.map((e) => e.cause)).toEqual(['ladder:投诉查实:1', 'ladder:投诉查实:2', 'ladder:投诉查实:1']);
  });

  it('when a complaint comes at 01:00 on 1 February in Shanghai (still 31 January in UTC), then the campaign zone decides: a new campaign year, rung 1', () => {
    const records = recordsOf(plan, []);
    records.apply(complaint('2025-01-31T23:00:00'));
    records.apply(complaint('2025-02-01T01:00:00'));
    expect(records.effects.map((e) => e.cause)).toEqual(['ladder:投诉查实:1', 'ladder:投诉查实:1']);
    expect(records.context.ladders['投诉查实']).toEqual([{ n: 1, p: '2025' }]);
  });

  it('when a flag that lasts a year was set, then it lapses on 1 February (a timer is due then); one that lasts the campaign stays', () => {
    const records = recordsOf(plan, []);
    records.enter('实施', shanghai('2024-02-01T00:00:00'));
    records.apply(complaint('2024-12-10T10:00:00'));
    records.apply(complaint('2025-01-10T10:00:00'));
    expect(records.context.flags).toEqual([['取消评优', '重点整改']]);
    const lapse = desiredTimers(plan, 'c/u01', records.context, '实施').filter((t) => t.key.startsWith('lapse'));
    expect(lapse).toEqual([{ instanceId: 'c/u01', key: 'lapse:1', dueAt: shanghai('2025-02-01T00:00:00') }]);
    // Still set in the last days of the campaign year.
    records.apply({ type: 'notified', at: shanghai('2025-01-31T23:00:00') });
    expect(records.context.flags).toEqual([['取消评优', '重点整改']]);
    records.apply({ type: 'timer.fired', key: 'lapse:1', dueAt: shanghai('2025-02-01T00:00:00'), at: shanghai('2025-02-01T00:00:00') });
    expect(records.context.flags).toEqual([['重点整改']]);
    expect(desiredTimers(plan, 'c/u01', records.context, '实施').filter((t) => t.key.startsWith('lapse'))).toEqual([]);
  });

  it('when an event of the next campaign year comes before the lapse timer, then the old flag lapses first and a flag it sets stays', () => {
    const records = recordsOf(plan, []);
    records.apply(complaint('2024-12-10T10:00:00'));
    records.apply(complaint('2025-01-10T10:00:00'));
    // 2025-02-10: the first of the new year (rung 1), so no flag now …
    records.apply(complaint('2025-02-10T10:00:00'));
    expect(records.context.flags).toEqual([['重点整改']]);
    // … and the second sets 取消评优 again, for this campaign year.
    records.apply(complaint('2025-03-10T10:00:00'));
    expect(records.context.flags).toEqual([['重点整改', '取消评优']]);
  });
});
