import { describe, expect, it } from 'vitest';
import { EngineError } from '../src/errors/engine-error.js';
import { validateHostEvent } from '../src/runtime/validate-event.js';
import { planOf, recordsOf, shanghai, type Records } from './support/records.js';

/** 每月报送学习记录 from April to June (April's due when May's starts), and a one-off task. */
const MONTHLY = `
kind: campaign
id: 月报
title: 月报
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 实施
    title: 实施
    window: 4月至6月
    tasks:
      - { id: 方案, title: 报送方案, owner: 单位, due: 4月30日 }
    recurring:
      - { id: 月报, title: 每月报送学习记录, owner: 单位, every: 每月 }
`;

describe('a completion of a recurring duty names its period (报告期)', () => {
  const plan = planOf(MONTHLY);
  const april = shanghai('2024-04-01T00:00:00');
  const may = shanghai('2024-05-01T00:00:00');
  const june = shanghai('2024-06-01T00:00:00');
  const july = shanghai('2024-07-01T00:00:00');
  const starts = (n: number, at: number) => ({ type: 'timer.fired', key: 'recur:月报', dueAt: at, at }) as const;
  /** April's report never sent: April's occurrence overdue once May's has started. */
  const aprilMissed = (): Records => {
    const records = recordsOf(plan, []);
    records.enter('实施', april);
    records.apply(starts(0, april));
    records.apply(starts(1, may));
    records.apply({ type: 'timer.fired', key: 'due:月报#0', dueAt: may, at: may });
    return records;
  };
  const statuses = (r: Records) => [r.context.tasks[0]?.['月报#0']?.s, r.context.tasks[0]?.['月报#1']?.s];
  const check = (r: Records, event: Record<string, unknown>) => {
    try {
      validateHostEvent(plan, r.context, '实施', event);
      return 'accepted';
    } catch (e) {
      return e instanceof EngineError ? e.code : String(e);
    }
  };

  it('when April is never done and May’s is sent without a period, then May is done on time and April stays overdue', () => {
    const records = aprilMissed();
    expect(check(records, { type: 'task.completed', task: '月报' })).toBe('accepted');
    records.apply({ type: 'task.completed', task: '月报', at: shanghai('2024-05-10T09:00:00') });
    expect(statuses(records)).toEqual(['overdue', 'done']);
  });

  it('when a later report names April (2024-04, or any day of April), then April is done late and May stays open', () => {
    for (const period of ['2024-04', '2024-04-30']) {
      const records = aprilMissed();
      expect(check(records, { type: 'report.submitted', task: '月报', period })).toBe('accepted');
      records.apply({ type: 'report.submitted', task: '月报', period, at: shanghai('2024-05-10T09:00:00') });
      expect(statuses(records)).toEqual(['late', 'open']);
    }
  });

  it('when every month is done in its month, then none is late', () => {
    const records = recordsOf(plan, []);
    records.enter('实施', april);
    for (const [n, at] of [april, may, june].entries()) {
      records.apply(starts(n, at));
      records.apply({ type: 'task.completed', task: '月报', at: at + 86_400_000 });
    }
    expect(records.context.tasks[0]).toEqual({
      方案: { s: 'open', due: may },
      '月报#0': { s: 'done', due: may, at: april + 86_400_000 },
      '月报#1': { s: 'done', due: june, at: may + 86_400_000 },
      '月报#2': { s: 'done', due: july, at: june + 86_400_000 },
    });
  });

  it('when a period is no occurrence’s (before the first, after the last, or not started yet), then ENGINE_UNKNOWN_PERIOD and nothing changes', () => {
    const records = aprilMissed();
    const before = records.context;
    for (const period of ['2024-03', '2024-07-01', '2024-06-15', '2023-05']) expect(check(records, { type: 'task.completed', task: '月报', period })).toBe('ENGINE_UNKNOWN_PERIOD');
    expect(records.context).toBe(before);
  });

  it('when a period is not a month or a day, or names a task that does not recur, then ENGINE_INVALID_PAYLOAD', () => {
    const records = aprilMissed();
    for (const period of ['2024-13', '2024-02-30', '四月', 'Q2', '', 5]) expect(check(records, { type: 'task.completed', task: '月报', period })).toBe('ENGINE_INVALID_PAYLOAD');
    expect(check(records, { type: 'task.completed', task: '方案', period: '2024-04' })).toBe('ENGINE_INVALID_PAYLOAD');
  });

  it('when the named period is already done, then ENGINE_TASK_NOT_OPEN', () => {
    const records = aprilMissed();
    records.apply({ type: 'task.completed', task: '月报', period: '2024-04', at: shanghai('2024-05-10T09:00:00') });
    expect(check(records, { type: 'task.completed', task: '月报', period: '2024-04-15' })).toBe('ENGINE_TASK_NOT_OPEN');
  });
});

/** 每月5日前报送上月情况 from April to June: each month's report is due on the 5th of the month after, while the next month's has started. */
const OVERLAPPING = MONTHLY.replace('{ id: 月报, title: 每月报送学习记录, owner: 单位, every: 每月 }', '{ id: 月报, title: 每月5日前报送上月情况, owner: 单位, every: 每月5日前 }');

describe('a completion without a period of a duty whose occurrences overlap (每月5日前: May’s due 5 June while June’s has started)', () => {
  const plan = planOf(OVERLAPPING);
  const at = (iso: string) => shanghai(iso);
  const started = (n: number, iso: string) => ({ type: 'timer.fired', key: 'recur:月报', dueAt: at(iso), at: at(iso) }) as const;
  /** April and May started; on 1 June, June's starts too, while May's is due only when 5 June is over. */
  const inJune = (): Records => {
    const records = recordsOf(plan, []);
    records.enter('实施', at('2024-04-01T00:00:00'));
    records.apply(started(0, '2024-04-01T00:00:00'));
    records.apply(started(1, '2024-05-01T00:00:00'));
    records.apply({ type: 'timer.fired', key: 'due:月报#0', dueAt: at('2024-05-06T00:00:00'), at: at('2024-05-06T00:00:00') });
    records.apply(started(2, '2024-06-01T00:00:00'));
    return records;
  };
  const statuses = (r: Records) => [0, 1, 2].map((n) => r.context.tasks[0]?.[`月报#${n}`]?.s);

  it('when the dues are as written, then May’s report is due when 5 June is over, while June’s started on 1 June', () => {
    const records = inJune();
    expect(records.context.tasks[0]?.['月报#1']).toMatchObject({ s: 'open', due: at('2024-06-06T00:00:00') });
    expect(statuses(records)).toEqual(['overdue', 'open', 'open']);
  });

  it('when a report comes on 3 June without a period, then it is May’s (the oldest still open and not yet due), done on time; April stays overdue and June open', () => {
    const records = inJune();
    records.apply({ type: 'task.completed', task: '月报', at: at('2024-06-03T09:00:00') });
    expect(statuses(records)).toEqual(['overdue', 'done', 'open']);
  });

  it('when May’s is overdue (after 5 June) and a report comes without a period, then it is June’s, the latest started', () => {
    const records = inJune();
    records.apply({ type: 'timer.fired', key: 'due:月报#1', dueAt: at('2024-06-06T00:00:00'), at: at('2024-06-06T00:00:00') });
    records.apply({ type: 'task.completed', task: '月报', at: at('2024-06-20T09:00:00') });
    expect(statuses(records)).toEqual(['overdue', 'overdue', 'done']);
  });
});
