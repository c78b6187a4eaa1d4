import type { AnyStateMachine } from 'xstate';
import type { InstanceContext } from './instance-context.js';
import type { StateText } from './lazy-history-entry.js';
import type { InstanceMeta, Statechart, UnitState } from './step.js';

export type { InstanceMeta } from './step.js';

/**
 * 缓存实例 — a unit's state kept between events, so an event costs one step instead of a decode
 * and a restore. It is only trusted at its revision: the store's optimistic check catches another
 * writer, and any failed transaction drops it. The state itself is immutable (`UnitState`); the
 * engine replaces it after each step.
 */
export class CachedInstance implements Statechart, StateText {
  readonly plan: Statechart['plan'];
  readonly machine: AnyStateMachine;
  state: UnitState;
  /**
   * Whether the store holds exactly the timers its state implies, as after every write by this
   * engine: a step then writes only the difference. False when restored.
   */
  timersKnown = false;
  /** The revision and context last committed to the store (set after the commit; queries may read it). */
  committed: { readonly revision: number; readonly context: InstanceContext } | undefined;
  #stateText: string | undefined;

  constructor(chart: Statechart, state: UnitState) {
    this.plan = chart.plan;
    this.machine = chart.machine;
    this.state = state;
  }

  get meta(): InstanceMeta {
    return this.state.meta;
  }

  get revision(): number {
    return this.state.revision;
  }

  /** The instance's time (实例时间): the latest `at` applied. No event is applied at an earlier time (see `eventTime`). */
  get time(): number {
    return this.state.time;
  }

  get phase(): string {
    return this.state.phase;
  }

  get ended(): boolean {
    return this.state.ended;
  }

  get context(): InstanceContext {
    return this.state.snapshot.context as InstanceContext;
  }

  /**
   * The state value as JSON for a history entry, the previous entry's very string when it is the
   * same: most events leave the state where it was, and a store that keeps history in memory (a
   * simulated year) then holds one string for a run of entries instead of one per entry.
   */
  stateText(value: unknown): string {
    const text = JSON.stringify(value);
    if (text !== this.#stateText) this.#stateText = text;
    return this.#stateText;
  }
}

/** 实例缓存 — cached unit states by instance id, least recently used dropped first. */
export class InstanceCache {
  readonly #max: number;
  readonly #map = new Map<string, CachedInstance>();

  constructor(max: number) {
    this.#max = max;
  }

  get(id: string): CachedInstance | undefined {
    const live = this.#map.get(id);
    // Recency matters only once something has to be dropped; until the map is full, moving an entry
    // to the end on every event (a delete and an insert in a map of every unit) bought nothing.
    if (live && this.#map.size >= this.#max) {
      this.#map.delete(id);
      this.#map.set(id, live);
    }
    return live;
  }

  set(live: CachedInstance): void {
    if (this.#max === 0) return;
    this.drop(live.meta.id);
    this.#map.set(live.meta.id, live);
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
  }

  /** The cached state without marking it recently used (for queries). */
  peek(id: string): CachedInstance | undefined {
    return this.#map.get(id);
  }

  drop(id: string): void {
    this.#map.delete(id);
  }

  clear(): void {
    this.#map.clear();
  }

  get size(): number {
    return this.#map.size;
  }
}
