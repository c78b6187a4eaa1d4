import { describe, expect, it } from 'vitest';
import { RequiredDone } from '../src/runtime/required-done.js';
import { planOf, recordsOf, shanghai } from './support/records.js';

const TASKS = `
kind: campaign
id: 任务
title: 任务
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 党员, title: 党员, level: member }
phases:
  - id: 动员
    title: 动员
    window: 3月
    tasks:
      - { id: 方案, title: 报送方案, owner: 单位, due: 3月15日 }
      - { id: 细则, title: 细则, owner: 单位, due: 方案后5个工作日内 }
      - { id: 承诺, title: 个人承诺, owner: 党员, subject: member, due: 3月20日 }
`;

describe('tasks (任务)', () => {
  const plan = planOf(TASKS);
  const entered = () => {
    const records = recordsOf(plan, ['u01-m1', 'u01-m2']);
    records.enter('动员', shanghai('2024-03-01T00:00:00'));
    return records;
  };

  it('when a phase is entered, then its tasks open for every subject that holds them, one counted from another from its deadline', () => {
    const { context } = entered();
    // A day's deadline falls due when the day is over; 细则 counts from 方案's until 方案 is done: 18–22 March.
    expect(context.tasks).toEqual([
      { 方案: { s: 'open', due: shanghai('2024-03-16T00:00:00') }, 细则: { s: 'open', due: shanghai('2024-03-23T00:00:00') } },
      { 承诺: { s: 'open', due: shanghai('2024-03-21T00:00:00') } },
      { 承诺: { s: 'open', due: shanghai('2024-03-21T00:00:00') } },
    ]);
  });

  it('when its anchor is done, then the task counted from it is due five working days after the anchor’s day', () => {
    const records = entered();
    records.apply({ type: 'task.completed', task: '方案', at: shanghai('2024-03-08T10:00:00'), actor: '张三' }); // a Friday
    const [unit] = records.context.tasks;
    expect(unit?.['方案']).toEqual({ s: 'done', due: shanghai('2024-03-16T00:00:00'), at: shanghai('2024-03-08T10:00:00'), by: '张三' });
    // 11, 12, 13, 14, 15 March; due when the 15th is over.
    expect(unit?.['细则']).toEqual({ s: 'open', due: shanghai('2024-03-16T00:00:00') });
  });

  it('when a task is done at or after its deadline, then it is late, whether or not its deadline timer has fired', () => {
    const records = entered();
    records.apply({ type: 'task.completed', task: '承诺', member: 'u01-m1', at: shanghai('2024-03-21T00:00:00') });
    records.apply({ type: 'timer.fired', key: 'due:承诺@1', dueAt: shanghai('2024-03-21T00:00:00'), at: shanghai('2024-03-21T00:00:00') });
    expect(records.context.tasks[2]?.['承诺']?.s).toBe('overdue');
    records.apply({ type: 'task.completed', task: '承诺', member: 'u01-m2', at: shanghai('2024-03-22T09:00:00') });
    expect([records.context.tasks[1]?.['承诺']?.s, records.context.tasks[2]?.['承诺']?.s]).toEqual(['late', 'late']);
  });

  it('when a member’s share is done, then the item is required-done only once every member has done theirs', () => {
    const records = entered();
    const ids = ['承诺'];
    const required = new RequiredDone(plan);
    records.apply({ type: 'task.completed', task: '承诺', member: 'u01-m2', at: shanghai('2024-03-05T10:00:00') });
    expect(required.of(records.context, ids)).toBe(false);
    records.apply({ type: 'task.completed', task: '承诺', member: 'u01-m1', at: shanghai('2024-03-06T10:00:00') });
    expect(required.of(records.context, ids)).toBe(true);
  });

  it('when the item last found not done is done and another is not, then the list is still not done, and done only when every item is', () => {
    const records = entered();
    const ids = ['方案', '细则', '承诺'];
    const required = new RequiredDone(plan);
    // Nothing done: 方案, the first of the list, is the one remembered.
    expect(required.of(records.context, ids)).toBe(false);
    records.apply({ type: 'task.completed', task: '方案', at: shanghai('2024-03-08T10:00:00') });
    // 方案 done: 细则 and 承诺 are not.
    expect(required.of(records.context, ids)).toBe(false);
    records.apply({ type: 'task.completed', task: '细则', at: shanghai('2024-03-11T10:00:00') });
    records.apply({ type: 'task.completed', task: '承诺', member: 'u01-m1', at: shanghai('2024-03-12T10:00:00') });
    // One member's 承诺 is still open.
    expect(required.of(records.context, ids)).toBe(false);
    // The same answers for a list in another order, asked of the same answerer.
    expect(required.of(records.context, ['承诺', '细则', '方案'])).toBe(false);
    records.apply({ type: 'task.completed', task: '承诺', member: 'u01-m2', at: shanghai('2024-03-13T10:00:00') });
    expect(required.of(records.context, ids)).toBe(true);
    expect(required.of(records.context, ['承诺', '细则', '方案'])).toBe(true);
    // A context from before (an earlier step's) is answered for what it holds, not for what was remembered since.
    const earlier = entered();
    expect(required.of(earlier.context, ids)).toBe(false);
  });

  it('when the member last found not to have finished has finished, then the others are still looked at, those before as well as after', () => {
    const required = new RequiredDone(plan);
    const ids = ['承诺'];
    const three = () => {
      const records = recordsOf(plan, ['u01-m1', 'u01-m2', 'u01-m3']);
      records.enter('动员', shanghai('2024-03-01T00:00:00'));
      return records;
    };
    const first = three();
    first.apply({ type: 'task.completed', task: '承诺', member: 'u01-m1', at: shanghai('2024-03-05T10:00:00') });
    first.apply({ type: 'task.completed', task: '承诺', member: 'u01-m2', at: shanghai('2024-03-05T11:00:00') });
    // Only the third member has not: remembered.
    expect(required.of(first.context, ids)).toBe(false);
    // The same unit in another state: the third member has finished, the first two have not.
    const second = three();
    second.apply({ type: 'task.completed', task: '承诺', member: 'u01-m3', at: shanghai('2024-03-05T12:00:00') });
    expect(required.of(second.context, ids)).toBe(false);
    first.apply({ type: 'task.completed', task: '承诺', member: 'u01-m3', at: shanghai('2024-03-06T10:00:00') });
    expect(required.of(first.context, ids)).toBe(true);
  });
});
