import { describe, expect, it } from 'vitest';
import { planOf, recordsOf, shanghai } from './support/records.js';

/** 方案 due 3月15日 (a Friday); 细则 within five working days of 方案, 公示 within three days of 细则. */
const TASKS = `
kind: campaign
id: 起算
title: 起算
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 动员
    title: 动员
    window: 3月
    tasks:
      - { id: 方案, title: 报送方案, owner: 单位, due: 3月15日 }
      - { id: 细则, title: 细则, owner: 单位, due: 方案后5个工作日内 }
      - { id: 公示, title: 公示, owner: 单位, due: 细则后3天内 }
`;

describe('a due counted from another task (起算)', () => {
  const plan = planOf(TASKS);
  const entered = () => {
    const records = recordsOf(plan, []);
    records.enter('动员', shanghai('2024-03-01T00:00:00'));
    return records;
  };
  const task = (records: ReturnType<typeof entered>, id: string) => records.context.tasks[0]?.[id];

  it('while its anchor is not done, then it is open and counted from the anchor’s deadline', () => {
    const records = entered();
    // 方案 due when 15 March is over; five working days after the 15th: 18–22 March, due when the 22nd is over.
    expect(task(records, '细则')).toEqual({ s: 'open', due: shanghai('2024-03-23T00:00:00') });
    // Three days after that deadline: 23, 24, 25 March.
    expect(task(records, '公示')).toEqual({ s: 'open', due: shanghai('2024-03-26T00:00:00') });
  });

  it('when its anchor is done early, then it counts from the completion, and so does the task counted from it', () => {
    const records = entered();
    records.apply({ type: 'task.completed', task: '方案', at: shanghai('2024-03-04T10:00:00') }); // a Monday
    // 5, 6, 7, 8, 11 March; due when the 11th is over.
    expect(task(records, '细则')).toEqual({ s: 'open', due: shanghai('2024-03-12T00:00:00') });
    // 12, 13, 14 March.
    expect(task(records, '公示')).toEqual({ s: 'open', due: shanghai('2024-03-15T00:00:00') });
  });

  it('when its anchor is done late, then an open task counts from the completion; one already overdue stays overdue', () => {
    const late = entered();
    late.apply({ type: 'timer.fired', key: 'due:方案', dueAt: shanghai('2024-03-16T00:00:00'), at: shanghai('2024-03-16T00:00:00') });
    late.apply({ type: 'task.completed', task: '方案', at: shanghai('2024-03-19T10:00:00') }); // a Tuesday
    expect(task(late, '方案')?.s).toBe('late');
    // 20, 21, 22, 25, 26 March.
    expect(task(late, '细则')).toEqual({ s: 'open', due: shanghai('2024-03-27T00:00:00') });
    const overdue = entered();
    overdue.apply({ type: 'timer.fired', key: 'due:细则', dueAt: shanghai('2024-03-23T00:00:00'), at: shanghai('2024-03-23T00:00:00') });
    overdue.apply({ type: 'task.completed', task: '方案', at: shanghai('2024-03-25T10:00:00') });
    expect(task(overdue, '细则')).toEqual({ s: 'overdue', due: shanghai('2024-03-23T00:00:00') });
  });

  it('when its anchor is never done, then it falls overdue at the deadline counted from the anchor’s', () => {
    const records = entered();
    records.apply({ type: 'timer.fired', key: 'due:细则', dueAt: shanghai('2024-03-23T00:00:00'), at: shanghai('2024-03-23T00:00:00') });
    expect(task(records, '细则')?.s).toBe('overdue');
  });
});
