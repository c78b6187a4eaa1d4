import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimerRecord } from '../src/ports/store.js';
import { TimerQueue } from '../src/stores/timer-queue.js';

// Written out here rather than imported: the queue's order is what is under test.
const before = (a: TimerRecord, b: TimerRecord): number =>
  a.dueAt - b.dueAt || (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const timer = fc.record({
  instanceId: fc.constantFrom('c', 'c/u1', 'c/u2', 'c/u10'),
  key: fc.constantFrom('due:a', 'remind:a', 'phase:p'),
  // Few distinct times, so ties on the due time (decided by instance and key) are common.
  dueAt: fc.integer({ min: 0, max: 12 }),
});

/** Pops everything, in the order the queue gives. */
function drain(queue: TimerQueue): TimerRecord[] {
  const out: TimerRecord[] = [];
  for (let timer = queue.pop(); timer !== undefined; timer = queue.pop()) out.push(timer);
  return out;
}

describe('given a TimerQueue', () => {
  it('when timers are pushed and popped in any interleaving, then each pop is the earliest left (due time, then instance, then key)', () => {
    const op = fc.oneof(fc.record({ push: timer }), fc.constant({ pop: true as const }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const queue = new TimerQueue();
        const left: TimerRecord[] = [];
        for (const step of ops) {
          if ('push' in step) {
            queue.push(step.push);
            left.push(step.push);
            continue;
          }
          left.sort(before);
          const expected = left.shift();
          const popped = queue.pop();
          // Equal records may come out in either order: compared by value.
          expect(popped).toEqual(expected);
        }
        expect(queue.size).toBe(left.length);
        expect(drain(queue)).toEqual(left.sort(before));
      }),
    );
  });

  it('when it grows past its first capacity and is rebuilt, then it still pops in order', () => {
    const queue = new TimerQueue();
    const timers: TimerRecord[] = [];
    // More entries than the due-time array starts with, pushed in descending order so each push sifts to the top.
    for (let i = 5000; i > 0; i--) timers.push({ instanceId: `c/u${i % 7}`, key: `due:${i % 3}`, dueAt: Math.floor(i / 4) });
    for (const t of timers) queue.push(t);
    expect(queue.peek()).toEqual([...timers].sort(before)[0]);

    queue.rebuild(timers.filter((_, i) => i % 2 === 0));
    // One before all, one among them: placed by the due times the rebuild kept.
    const first = { instanceId: 'c/u1', key: 'due:x', dueAt: -1 };
    const among = { instanceId: 'c/u1', key: 'due:y', dueAt: 600 };
    for (const t of [first, among]) queue.push(t);
    expect(drain(queue)).toEqual([first, among, ...timers.filter((_, i) => i % 2 === 0)].sort(before));
  });
});
