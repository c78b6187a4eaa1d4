/** An entry of the agenda: something planned at a time. */
export interface AgendaEntry<T> {
  readonly at: number;
  readonly value: T;
}

/**
 * A binary min-heap of planned host events, earliest first; entries at the same time come out in
 * the order they were added, so a run is deterministic.
 */
export class Agenda<T> {
  readonly #heap: Slot<T>[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** Adds an entry at `at`. */
  push(at: number, value: T): void {
    const heap = this.#heap;
    const entry: Slot<T> = { at, seq: this.#seq++, value };
    // Sift up by moving parents down into the hole, and place the entry once.
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent] as Slot<T>;
      if (!before(entry, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = entry;
  }

  /** The time of the earliest entry, or undefined when empty. */
  peekAt(): number | undefined {
    return this.#heap[0]?.at;
  }

  /** Removes and returns the earliest entry. */
  pop(): AgendaEntry<T> | undefined {
    const heap = this.#heap;
    const top = heap[0];
    if (!top) return undefined;
    const last = heap.pop() as Slot<T>;
    const n = heap.length;
    if (n > 0) {
      // Sift the last entry down from the root the same way: children move up into the hole.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let child = heap[l] as Slot<T>;
        let c = l;
        if (r < n && before(heap[r] as Slot<T>, child)) {
          child = heap[r] as Slot<T>;
          c = r;
        }
        if (!before(child, last)) break;
        heap[i] = child;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}

/** A heap slot: the entry and the order it was added in (ties come out first in, first out). */
interface Slot<T> {
  readonly at: number;
  readonly seq: number;
  readonly value: T;
}

function before<T>(a: Slot<T>, b: Slot<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
