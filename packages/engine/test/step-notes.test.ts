import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../src/runtime/instance-context.js';
import { StepNotes } from '../src/runtime/step-notes.js';
import { TaskTableCopy, type TaskTable } from '../src/runtime/task-table.js';

/** A copy of `base` with `writes` applied, noted the way the RecordKeeper notes its copies. */
function copyOf(notes: StepNotes, base: TaskTable, writes: Record<string, TaskRecord>): TaskTable {
  const next = new TaskTableCopy(base);
  const keys = notes.taskKeys();
  for (const [key, record] of Object.entries(writes)) {
    next.set(key, record);
    keys.add(key);
  }
  return next.table;
}

describe('step notes (步骤记录)', () => {
  const open: TaskRecord = { s: 'open', due: 10 };
  const done: TaskRecord = { s: 'done', at: 5 };

  it('when a step copied the table twice (the event, then a phase it entered), then the keys of both are its change, and nothing is written on the tables', () => {
    const notes = new StepNotes();
    notes.open();
    const before: TaskTable = [{ a: open, b: open }];
    const stepped = copyOf(notes, before, { a: done });
    const after = copyOf(notes, stepped, { c: open });
    const { keys, effects } = notes.close();
    expect([...keys].sort()).toEqual(['a', 'c']);
    expect(effects).toEqual([]);
    expect(Object.getOwnPropertySymbols(after)).toEqual([]);
  });

  it('when a step wrote nothing, then its change is empty; the next step starts empty whatever the last one wrote', () => {
    const notes = new StepNotes();
    notes.open();
    copyOf(notes, [{ a: open }], { a: done });
    expect([...notes.close().keys]).toEqual(['a']);
    notes.open();
    expect([...notes.close().keys]).toEqual([]);
  });

  it('when rules run outside a step (a machine run by hand), then nothing is kept', () => {
    const notes = new StepNotes();
    copyOf(notes, [{ a: open }], { a: done });
    notes.effect({ type: 'effect', effect: 'admonish', title: 't', cause: 'c' });
    notes.open();
    const { keys, effects } = notes.close();
    expect([...keys]).toEqual([]);
    expect(effects).toEqual([]);
  });
});
