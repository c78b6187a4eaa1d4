import { describe, expect, it } from 'vitest';
import { planOf, recordsOf, shanghai } from './support/records.js';

/** 举报投诉: "一次查实诫勉谈话、两次查实通报批评、三次查实交流换岗", counted per member and per year (DOMAIN.md). */
const COMPLAINTS = `
kind: campaign
id: 投诉
title: 投诉
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 党员, title: 党员, level: member }
flags:
  - { id: 取消评优, title: 取消评优 }
actions:
  - { id: 诫勉谈话, title: 诫勉谈话, effect: admonish }
  - { id: 通报批评, title: 通报批评, effect: criticise }
  - { id: 交流换岗, title: 交流换岗, effect: transfer }
phases:
  - id: 实施
    title: 实施
    window: 3月至12月
    tasks:
      - { id: 总结, title: 总结, owner: 单位, due: 12月20日 }
ladders:
  - id: 举报投诉查实
    title: 举报投诉一次查实诫勉谈话、两次查实通报批评、三次查实交流换岗
    on: { event: complaint-verified }
    subject: member
    period: year
    rungs:
      - { level: 1, actions: [诫勉谈话] }
      - { level: 2, actions: [通报批评] }
      - { level: 3, actions: [交流换岗], flags: [取消评优] }
`;

describe('an escalation ladder (递进处理)', () => {
  const plan = planOf(COMPLAINTS);
  const complaint = (member: string | undefined, iso: string) =>
    ({ type: 'complaint.verified', at: shanghai(iso), ...(member === undefined ? {} : { member }) }) as const;

  it('when three complaints against one member are verified in a year, then the rungs 1, 2 and 3 apply in turn', () => {
    const records = recordsOf(plan, ['u01-m1', 'u01-m2']);
    records.apply(complaint('u01-m1', '2024-04-10T10:00:00'));
    records.apply(complaint('u01-m1', '2024-06-10T10:00:00'));
    records.apply(complaint('u01-m1', '2024-09-10T10:00:00'));
    expect(records.effects.map((e) => [e.action, e.effect, e.member, e.cause])).toEqual([
      ['诫勉谈话', 'admonish', 'u01-m1', 'ladder:举报投诉查实:1'],
      ['通报批评', 'criticise', 'u01-m1', 'ladder:举报投诉查实:2'],
      ['交流换岗', 'transfer', 'u01-m1', 'ladder:举报投诉查实:3'],
    ]);
    // Member u01-m1 is reference 0, slot 1 (slot 0 is the unit); the third rung flags it.
    expect(records.context.ladders['举报投诉查实']).toEqual([null, { n: 3, p: '2024' }]);
    expect(records.context.flags).toEqual([null, ['取消评优']]);
  });

  it('when a fourth comes in the same year, then the last rung applies again (the directive names no harsher step)', () => {
    const records = recordsOf(plan, ['u01-m1']);
    for (const month of ['04', '05', '06', '07']) records.apply(complaint('u01-m1', `2024-${month}-10T10:00:00`));
    expect(records.effects.map((e) => e.action)).toEqual(['诫勉谈话', '通报批评', '交流换岗', '交流换岗']);
    expect(records.context.ladders['举报投诉查实']).toEqual([null, { n: 4, p: '2024' }]);
  });

  it('when complaints come on either side of 1 January, then they count in one campaign year (from the campaign start, 1 March), not per calendar year', () => {
    const records = recordsOf(plan, ['u01-m1']);
    records.apply(complaint('u01-m1', '2024-11-10T10:00:00'));
    records.apply(complaint('u01-m1', '2024-12-31T23:00:00'));
    records.apply(complaint('u01-m1', '2025-01-01T01:00:00'));
    records.apply(complaint('u01-m1', '2025-02-01T10:00:00'));
    expect(records.effects.map((e) => e.cause)).toEqual([
      'ladder:举报投诉查实:1',
      'ladder:举报投诉查实:2',
      'ladder:举报投诉查实:3',
      'ladder:举报投诉查实:4',
    ]);
    // Labelled by the calendar year the campaign year starts in.
    expect(records.context.ladders['举报投诉查实']).toEqual([null, { n: 4, p: '2024' }]);
  });

  it('when complaints concern two members, then each has a count of its own, and one against the unit counts for nobody', () => {
    const records = recordsOf(plan, ['u01-m1', 'u01-m2']);
    records.apply(complaint('u01-m2', '2024-04-10T10:00:00'));
    records.apply(complaint('u01-m1', '2024-04-11T10:00:00'));
    records.apply(complaint('u01-m2', '2024-04-12T10:00:00'));
    records.apply(complaint(undefined, '2024-04-13T10:00:00'));
    expect(records.effects.map((e) => [e.member, e.action])).toEqual([
      ['u01-m2', '诫勉谈话'],
      ['u01-m1', '诫勉谈话'],
      ['u01-m2', '通报批评'],
    ]);
    expect(records.context.ladders['举报投诉查实']).toEqual([null, { n: 1, p: '2024' }, { n: 2, p: '2024' }]);
  });
});
