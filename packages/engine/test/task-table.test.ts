import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../src/runtime/instance-context.js';
import { forEachTask, taskAt, taskFor, taskIn, tasksOf, TaskTableCopy, type TaskTable } from '../src/runtime/task-table.js';

const open = (due: number): TaskRecord => ({ s: 'open', due });

describe('a task table', () => {
  it('keeps each subject’s tasks in its slot and finds them by whole key', () => {
    const copy = new TaskTableCopy([]);
    copy.set('总结', open(1));
    copy.set('承诺@2', open(2));
    copy.set('学习#3@0', open(3));
    const table: TaskTable = copy.table;
    // The unit in slot 0, member reference r in slot r + 1; the slots between are null.
    expect(table).toEqual([{ 总结: open(1) }, { '学习#3': open(3) }, null, { 承诺: open(2) }]);
    expect(taskAt(table, '承诺@2')).toEqual(open(2));
    expect(taskIn(table, 1, '学习#3')).toEqual(open(3));
    expect([taskFor(table, '学习', '0', 3), taskFor(table, '总结'), taskFor(table, '学习', '0'), taskFor(table, '承诺', '2', 0)]).toEqual([open(3), open(1), undefined, undefined]);
    expect([taskAt(table, '承诺@1'), taskAt(table, '承诺'), taskAt(table, '承诺@9')]).toEqual([undefined, undefined, undefined]);
    // Only own keys: a task called after an Object method is not found on the prototype.
    expect(taskAt(table, 'constructor')).toBeUndefined();
    const seen: string[] = [];
    forEachTask(table, (key, task) => seen.push(`${key}=${task.due}`));
    expect(seen).toEqual(['总结=1', '学习#3@0=3', '承诺@2=2']);
    expect(tasksOf(table, 3)).toEqual([open(2)]);
    expect(tasksOf(table).map((t) => t.due)).toEqual([1, 3, 2]);
  });

  it('is copied on write: the table and each written subject once, the base left as it was', () => {
    const first = new TaskTableCopy([]);
    first.set('承诺@0', open(1));
    first.set('承诺@1', open(2));
    const base = first.table;
    const second = new TaskTableCopy(base);
    second.set('承诺@0', { s: 'done', due: 1, at: 5 });
    second.set('总结@0', open(7));
    expect(base).toEqual([null, { 承诺: open(1) }, { 承诺: open(2) }]);
    expect(second.table[1]).toEqual({ 承诺: { s: 'done', due: 1, at: 5 }, 总结: open(7) });
    // A subject nobody wrote is shared with the base, not copied.
    expect(second.table[2]).toBe(base[2]);
    expect(second.table[1]).not.toBe(base[1]);
  });
});
