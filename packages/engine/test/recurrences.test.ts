import { describe, expect, it } from 'vitest';
import { LATE_GRACE_MS } from '../src/runtime/recurrences.js';
import { planOf, recordsOf, shanghai } from './support/records.js';

/** 每月学习 from April to June: occurrences start on 1 April, 1 May and 1 June. */
const MONTHLY = (missed: string) => `
kind: campaign
id: 月学习
title: 月学习
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 实施
    title: 实施
    window: 4月至6月
    recurring:
      - { id: 月学习, title: 每月学习, owner: 单位, every: 每月, missed: ${missed} }
`;

describe('a recurring duty (周期性任务)', () => {
  const april = shanghai('2024-04-01T00:00:00');
  const may = shanghai('2024-05-01T00:00:00');
  const june = shanghai('2024-06-01T00:00:00');
  const fired = (dueAt: number, at: number) => ({ type: 'timer.fired', key: 'recur:月学习', dueAt, at }) as const;

  it('starts on the calendar: occurrence n opens task 月学习#n, due when the next one starts', () => {
    const plan = planOf(MONTHLY('skip'));
    expect(plan.items.get('月学习')?.recurrence?.starts).toEqual([april, may, june]);
    const records = recordsOf(plan, []);
    records.enter('实施', april);
    expect(records.context.recur).toEqual({ 月学习: 0 });
    records.apply(fired(april, april));
    expect(records.context.recur).toEqual({ 月学习: 1 });
    expect(records.context.tasks).toEqual([{ '月学习#0': { s: 'open', due: may } }]);
  });

  it('when its timer fires within the late grace, then the occurrence opens; later than that, a skipped one does not', () => {
    const plan = planOf(MONTHLY('skip'));
    const inTime = recordsOf(plan, []);
    inTime.enter('实施', april);
    inTime.apply(fired(april, april + LATE_GRACE_MS));
    expect(inTime.context.tasks).toEqual([{ '月学习#0': { s: 'open', due: may } }]);
    const late = recordsOf(plan, []);
    late.enter('实施', april);
    late.apply(fired(april, april + LATE_GRACE_MS + 1));
    expect(late.context.tasks).toEqual([]);
    // Skipped, not pending: the next timer is May's.
    expect(late.context.recur).toEqual({ 月学习: 1 });
  });

  it('when the host was down over a start, then only the latest occurrence counts: opened once late (fire-once-late), or skipped', () => {
    const once = recordsOf(planOf(MONTHLY('fire-once-late')), []);
    once.enter('实施', april);
    once.apply(fired(april, may + 2 * LATE_GRACE_MS));
    expect(once.context.recur).toEqual({ 月学习: 2 });
    expect(once.context.tasks).toEqual([{ '月学习#1': { s: 'open', due: june } }]);
    const skip = recordsOf(planOf(MONTHLY('skip')), []);
    skip.enter('实施', april);
    skip.apply(fired(april, may + 2 * LATE_GRACE_MS));
    expect(skip.context.recur).toEqual({ 月学习: 2 });
    expect(skip.context.tasks).toEqual([]);
  });
});
