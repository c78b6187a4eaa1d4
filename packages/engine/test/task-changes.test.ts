import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../src/runtime/instance-context.js';
import { TaskChanges } from '../src/runtime/task-changes.js';
import { TaskTableCopy, type TaskTable } from '../src/runtime/task-table.js';

/** A copy of `base` with `writes` applied, noted the way the RecordKeeper notes its copies. */
function copyOf(changes: TaskChanges, base: TaskTable, writes: Record<string, TaskRecord>): TaskTable {
  const next = new TaskTableCopy(base);
  const keys = changes.noteCopy(next.table, base);
  for (const [key, record] of Object.entries(writes)) {
    next.set(key, record);
    keys.add(key);
  }
  return next.table;
}

describe('changed task keys', () => {
  const open: TaskRecord = { s: 'open', due: 10 };
  const done: TaskRecord = { s: 'done', at: 5 };

  it('when one step copied the table, then its written keys are the change', () => {
    const changes = new TaskChanges();
    const before: TaskTable = [{ a: open, b: open }];
    const after = copyOf(changes, before, { a: done });
    expect([...(changes.changed(before, after) ?? [])]).toEqual(['a']);
    expect([...(changes.changed(before, before) ?? ['?'])]).toEqual([]);
    // Nothing is written on the tables: they are persisted and compared as they are.
    expect(Object.getOwnPropertySymbols(after)).toEqual([]);
    expect(Object.getOwnPropertySymbols(before)).toEqual([]);
    expect(after).toEqual([{ a: done, b: open }]);
  });

  it('when an event ran several steps (the event, then phases it entered), then the keys of all of them are the change', () => {
    const changes = new TaskChanges();
    const before: TaskTable = [{ a: open }];
    const stepped = copyOf(changes, before, { a: done });
    const entered = copyOf(changes, stepped, { b: open, 'c@0': open });
    const again = copyOf(changes, entered, { 'c@0': done });
    expect([...(changes.changed(before, again) ?? [])].sort()).toEqual(['a', 'b', 'c@0']);
    expect([...(changes.changed(stepped, again) ?? [])].sort()).toEqual(['b', 'c@0']);
  });

  it('when a table was not made from the other by noted copies, then the change is unknown', () => {
    const changes = new TaskChanges();
    const before: TaskTable = [{ a: open }];
    const elsewhere: TaskTable = [{ a: done }];
    expect(changes.changed(before, elsewhere)).toBeUndefined();
    const unrelated = copyOf(changes, [{ x: open }], { x: done });
    expect(changes.changed(before, unrelated)).toBeUndefined();
    // A later table does not lead back to an earlier one the other way round.
    const after = copyOf(changes, before, { a: done });
    expect(changes.changed(after, before)).toBeUndefined();
  });

  it('when thousands of tables were copied before, then an event’s chain of copies is still found', () => {
    const changes = new TaskChanges();
    let other: TaskTable = [{ x: open }];
    for (let i = 0; i < 2_000; i++) other = copyOf(changes, other, { [`k${i % 50}`]: i % 2 === 0 ? open : done });
    const before: TaskTable = [{ a: open }];
    const after = copyOf(changes, copyOf(changes, copyOf(changes, before, { a: done }), { b: open }), { c: open });
    expect([...(changes.changed(before, after) ?? [])].sort()).toEqual(['a', 'b', 'c']);
  });

  it('when an event’s chain is longer than the copies kept, then the change is unknown (and derived again)', () => {
    const changes = new TaskChanges();
    const before: TaskTable = [{ a: open }];
    let after = before;
    for (let i = 0; i < 17; i++) after = copyOf(changes, after, { a: i % 2 === 0 ? done : open });
    expect(changes.changed(before, after)).toBeUndefined();
  });
});
