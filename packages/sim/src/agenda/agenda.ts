/** An entry of the agenda: something planned at a time. */
export interface AgendaEntry<T> {
  readonly at: number;
  readonly value: T;
}

/**
 * A binary min-heap of planned host events, earliest first; entries at the same time come out in
 * the order they were added, so a run is deterministic. Times and insertion numbers sit in typed
 * arrays beside the values: a year plans tens of thousands of entries, and sifting through entry
 * objects scattered over the heap cost a cache miss per comparison.
 */
export class Agenda<T> {
  #at = new Float64Array(1024);
  #seq = new Float64Array(1024);
  readonly #values: T[] = [];
  #size = 0;
  #added = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds an entry at `at`. */
  push(at: number, value: T): void {
    if (this.#size === this.#at.length) this.#grow();
    const times = this.#at;
    const seqs = this.#seq;
    const values = this.#values;
    const seq = this.#added++;
    // Sift up by moving parents down into the hole, and place the entry once.
    let i = this.#size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (!(at < pt || (at === pt && seq < (seqs[parent] as number)))) break;
      this.#move(parent, i);
      i = parent;
    }
    this.#place(i, at, seq, value);
  }

  /** The time of the earliest entry, or undefined when empty. */
  peekAt(): number | undefined {
    return this.#size === 0 ? undefined : this.#at[0];
  }

  /** Removes and returns the earliest entry. */
  pop(): AgendaEntry<T> | undefined {
    if (this.#size === 0) return undefined;
    const times = this.#at;
    const seqs = this.#seq;
    const values = this.#values;
    const top: AgendaEntry<T> = { at: times[0] as number, value: values[0] as T };
    const n = --this.#size;
    const at = times[n] as number;
    const seq = seqs[n] as number;
    const value = values[n] as T;
    values.pop();
    if (n > 0) {
      // Sift the last entry down from the root the same way: children move up into the hole.
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        const r = c + 1;
        if (r < n && ((times[r] as number) < (times[c] as number) || (times[r] === times[c] && (seqs[r] as number) < (seqs[c] as number)))) c = r;
        const ct = times[c] as number;
        if (!(ct < at || (ct === at && (seqs[c] as number) < seq))) break;
        this.#move(c, i);
        i = c;
      }
      this.#place(i, at, seq, value);
    }
    return top;
  }

  /** Moves the entry in slot `from` to slot `to`. */
  #move(from: number, to: number): void {
    this.#place(to, this.#at[from] as number, this.#seq[from] as number, this.#values[from] as T);
  }

  #place(i: number, at: number, seq: number, value: T): void {
    this.#at[i] = at;
    this.#seq[i] = seq;
    this.#values[i] = value;
  }

  #grow(): void {
    const times = new Float64Array(this.#at.length * 2);
    times.set(this.#at);
    const seqs = new Float64Array(this.#seq.length * 2);
    seqs.set(this.#seq);
    this.#at = times;
    this.#seq = seqs;
  }
}
