import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '@luoshi/engine';
import { changedTaskKeys, noteTaskMapCopy } from '../src/runtime/task-changes.js';

type TaskMap = Record<string, TaskRecord>;

/** A copy of `base` with `writes` applied, noted the way the RecordKeeper notes its copies. */
function copyOf(base: TaskMap, writes: Record<string, TaskRecord>): TaskMap {
  const next = { ...base };
  const keys = noteTaskMapCopy(next, base);
  for (const [key, record] of Object.entries(writes)) {
    next[key] = record;
    keys.add(key);
  }
  return next;
}

describe('changed task keys', () => {
  const open: TaskRecord = { s: 'open', due: 10 };
  const done: TaskRecord = { s: 'done', at: 5 };

  it('when one step copied the map, then its written keys are the change', () => {
    const before: TaskMap = { a: open, b: open };
    const after = copyOf(before, { a: done });
    expect([...(changedTaskKeys(before, after) ?? [])]).toEqual(['a']);
    expect([...(changedTaskKeys(before, before) ?? ['?'])]).toEqual([]);
    // What the copy notes stays out of the persisted JSON and out of its keys.
    expect(JSON.stringify(after)).toBe(JSON.stringify({ a: done, b: open }));
    expect(Object.keys(after)).toEqual(['a', 'b']);
  });

  it('when an event ran several steps (the event, then phases it entered), then the keys of all of them are the change', () => {
    const before: TaskMap = { a: open };
    const stepped = copyOf(before, { a: done });
    const entered = copyOf(stepped, { b: open, c: open });
    const again = copyOf(entered, { c: done });
    expect([...(changedTaskKeys(before, again) ?? [])].sort()).toEqual(['a', 'b', 'c']);
    expect([...(changedTaskKeys(stepped, again) ?? [])].sort()).toEqual(['b', 'c']);
  });

  it('when a map was not made from the other by noted copies, then the change is unknown', () => {
    const before: TaskMap = { a: open };
    const elsewhere: TaskMap = { a: done };
    expect(changedTaskKeys(before, elsewhere)).toBeUndefined();
    const unrelated = copyOf({ x: open }, { x: done });
    expect(changedTaskKeys(before, unrelated)).toBeUndefined();
    // A later map does not lead back to an earlier one the other way round.
    const after = copyOf(before, { a: done });
    expect(changedTaskKeys(after, before)).toBeUndefined();
  });

  it('when thousands of maps were copied before, then an event’s chain of copies is still found', () => {
    let other: TaskMap = { x: open };
    for (let i = 0; i < 2_000; i++) other = copyOf(other, { [`k${i % 50}`]: i % 2 === 0 ? open : done });
    const before: TaskMap = { a: open };
    const after = copyOf(copyOf(copyOf(before, { a: done }), { b: open }), { c: open });
    expect([...(changedTaskKeys(before, after) ?? [])].sort()).toEqual(['a', 'b', 'c']);
  });
});
