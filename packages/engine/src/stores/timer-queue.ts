import type { TimerRecord } from '../ports/store.js';
import { compareText } from './compare-text.js';

/** Timers in due order, ties by instance id then key in UTF-16 code units (as SQL's binary collation orders ASCII). */
export function compareTimers(a: TimerRecord, b: TimerRecord): number {
  return a.dueAt - b.dueAt || compareText(a.instanceId, b.instanceId) || compareText(a.key, b.key);
}

const INITIAL_CAPACITY = 1024;

/**
 * A binary min-heap of timer records, for lazy deletion by its owner: moving or deleting a timer
 * leaves its old record in place, and the owner drops records no longer current as they reach the
 * top. Each record's due time is kept beside the heap in one typed array at the same index: nearly
 * every comparison is decided by it, read from one block of memory, where reading it from records
 * scattered over a heap of a hundred thousand missed the cache at every level.
 */
export class TimerQueue {
  #heap: TimerRecord[] = [];
  #due = new Float64Array(INITIAL_CAPACITY);

  get size(): number {
    return this.#heap.length;
  }

  peek(): TimerRecord | undefined {
    return this.#heap[0];
  }

  push(timer: TimerRecord): void {
    const heap = this.#heap;
    let index = heap.length;
    heap.push(timer);
    if (index >= this.#due.length) this.#grow(index + 1);
    const due = this.#due;
    const at = timer.dueAt;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentAt = due[parent] as number;
      if (parentAt < at || (parentAt === at && compareTimers(heap[parent] as TimerRecord, timer) <= 0)) break;
      heap[index] = heap[parent] as TimerRecord;
      due[index] = parentAt;
      index = parent;
    }
    heap[index] = timer;
    due[index] = at;
  }

  pop(): TimerRecord | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const due = this.#due;
    const count = heap.length;
    const lastAt = due[count] as number;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= count) break;
      const right = left + 1;
      const child = right < count && this.#before(right, left) ? right : left;
      const childAt = due[child] as number;
      if (childAt > lastAt || (childAt === lastAt && compareTimers(heap[child] as TimerRecord, last) >= 0)) break;
      heap[index] = heap[child] as TimerRecord;
      due[index] = childAt;
      index = child;
    }
    heap[index] = last;
    due[index] = lastAt;
    return top;
  }

  /** Replaces the contents with `timers` (used to drop accumulated dead records). */
  rebuild(timers: TimerRecord[]): void {
    this.#heap = timers.sort(compareTimers);
    if (timers.length > this.#due.length) this.#grow(timers.length);
    timers.forEach((timer, i) => (this.#due[i] = timer.dueAt));
  }

  /** Whether the record at `a` comes before the one at `b`. */
  #before(a: number, b: number): boolean {
    const atA = this.#due[a] as number;
    const atB = this.#due[b] as number;
    return atA < atB || (atA === atB && compareTimers(this.#heap[a] as TimerRecord, this.#heap[b] as TimerRecord) < 0);
  }

  #grow(needed: number): void {
    let capacity = this.#due.length;
    while (capacity < needed) capacity *= 2;
    const due = new Float64Array(capacity);
    due.set(this.#due);
    this.#due = due;
  }
}
