import type { TimerRecord } from '../ports/store.js';
import { compareTimers, TimerQueue } from './timer-queue.js';

/** Keys to write: a timer to put, or null to delete the key. */
export type TimerPatch = ReadonlyMap<string, TimerRecord | null>;

const NONE: ReadonlyMap<string, TimerRecord> = new Map();

/**
 * 计时器集 — the timers of many instances held in memory: each instance's by key, and every one in
 * a heap by (due, instance, key). Shared by the memory store's committed data and the in-process
 * driver. A moved or deleted timer leaves its old heap entry behind, skipped when it comes up: an
 * entry is live while its instance still maps its key to that very record.
 */
export class TimerSet {
  /** Per instance, its timers by key, handed to readers as they are (never copied). */
  readonly #timers = new Map<string, Map<string, TimerRecord>>();
  /** Every timer written, live or not. */
  readonly #queue = new TimerQueue();
  #count = 0;

  /** An instance's timers by key (the set itself: do not change it). */
  of(instanceId: string): ReadonlyMap<string, TimerRecord> {
    return this.#timers.get(instanceId) ?? NONE;
  }

  /** An instance's timers in (due, instance, key) order. */
  list(instanceId: string): TimerRecord[] {
    return [...this.of(instanceId).values()].sort(compareTimers);
  }

  /** The instances holding timers whose id starts with `prefix`. */
  owners(prefix: string): Set<string> {
    const owners = new Set<string>();
    for (const id of this.#timers.keys()) if (id.startsWith(prefix)) owners.add(id);
    return owners;
  }

  /** Makes an instance's timers exactly `timers`: a patch that also deletes every key it lacks. */
  replace(instanceId: string, timers: ReadonlyMap<string, TimerRecord>): void {
    const patch = new Map<string, TimerRecord | null>(timers);
    for (const key of this.#timers.get(instanceId)?.keys() ?? []) if (!timers.has(key)) patch.set(key, null);
    this.patch(instanceId, patch);
  }

  /**
   * Makes the timers of every instance named in `timers` exactly those (as `replace` for each), the
   * heap rebuilt once from every live timer rather than a push per timer: a campaign restored brings
   * tens of thousands at once. Given in `compareTimers` order (as `restoredUnits` keeps them), the
   * rebuild's sort is a pass.
   */
  load(timers: readonly TimerRecord[]): void {
    const named = new Set<string>();
    for (const timer of timers) {
      if (!named.has(timer.instanceId)) {
        named.add(timer.instanceId);
        this.#count -= this.#timers.get(timer.instanceId)?.size ?? 0;
        this.#timers.set(timer.instanceId, new Map());
      }
      const stored = this.#timers.get(timer.instanceId) as Map<string, TimerRecord>;
      if (!stored.has(timer.key)) this.#count++;
      stored.set(timer.key, timer);
    }
    const others: TimerRecord[] = [];
    for (const [instanceId, byKey] of this.#timers) if (!named.has(instanceId)) for (const timer of byKey.values()) others.push(timer);
    // The loaded ones first, as given (a run the sort keeps), then any others (a second run it merges).
    this.#queue.rebuild([...timers.filter((timer) => this.#isLive(timer)), ...others]);
  }

  /** Writes the keys of a patch, leaving the instance's other timers as they are. */
  patch(instanceId: string, patch: TimerPatch): void {
    let stored = this.#timers.get(instanceId);
    if (stored === undefined) this.#timers.set(instanceId, (stored = new Map()));
    for (const [key, timer] of patch) {
      const kept = stored.get(key);
      if (timer === null) {
        if (kept !== undefined) {
          stored.delete(key);
          this.#count--;
        }
        continue;
      }
      if (kept !== undefined && kept.dueAt === timer.dueAt) continue;
      if (kept === undefined) this.#count++;
      stored.set(key, timer);
      this.#queue.push(timer);
    }
    if (stored.size === 0) this.#timers.delete(instanceId);
    // Moved and deleted timers leave dead entries behind; past a point the heap is rebuilt from the live ones.
    if (this.#queue.size > 2 * this.#count + 1024) this.#queue.rebuild([...this.#timers.values()].flatMap((byKey) => [...byKey.values()]));
  }

  /** Deletes a timer if it is still there with this due time; says whether it was. */
  claim(timer: TimerRecord): boolean {
    const stored = this.#timers.get(timer.instanceId);
    const kept = stored?.get(timer.key);
    if (stored === undefined || kept === undefined || kept.dueAt !== timer.dueAt) return false;
    stored.delete(timer.key);
    this.#count--;
    if (stored.size === 0) this.#timers.delete(timer.instanceId);
    return true;
  }

  /**
   * Whether a queued record is still its instance's timer. Compared by identity: a moved timer is a
   * new record. The same record written again after it was deleted or moved is queued twice; the two
   * copies are equal, so they leave the heap one after the other, and `due` skips the second.
   */
  #isLive(timer: TimerRecord): boolean {
    return this.#timers.get(timer.instanceId)?.get(timer.key) === timer;
  }

  /** The earliest live timers due at or before `until`, at most `limit`, in (due, instance, key) order. */
  due(until: number, limit: number, keep?: (timer: TimerRecord) => boolean): TimerRecord[] {
    const taken: TimerRecord[] = [];
    // Live timers `keep` leaves out, popped on the way and pushed back with the taken ones.
    const passed: TimerRecord[] = [];
    while (taken.length < limit) {
      const top = this.#queue.peek();
      if (top === undefined) break;
      if (!this.#isLive(top) || top === taken.at(-1) || top === passed.at(-1)) {
        this.#queue.pop();
        continue;
      }
      if (top.dueAt > until) break;
      const timer = this.#queue.pop() as TimerRecord;
      (keep === undefined || keep(timer) ? taken : passed).push(timer);
    }
    for (const timer of taken) this.#queue.push(timer);
    for (const timer of passed) this.#queue.push(timer);
    return taken;
  }

  /** The earliest live timer of all. */
  next(): TimerRecord | undefined {
    for (;;) {
      const top = this.#queue.peek();
      if (top === undefined || this.#isLive(top)) return top;
      this.#queue.pop();
    }
  }
}
