import { createActor, type Actor, type AnyStateMachine } from 'xstate';
import type { TimerRecord } from '../ports/store.js';
import type { InstanceContext } from './instance-context.js';
import type { EffectDraft } from './record-keeper.js';

/** What the engine knows of a unit's place, copied from its stored record. */
export interface InstanceMeta {
  readonly id: string;
  readonly campaignId: string;
  readonly unitId: string;
  readonly unitPath: string;
}

/** The persisted XState snapshot of an instance, as stored. */
export interface PersistedSnapshot {
  readonly value: unknown;
  readonly context: InstanceContext;
  readonly [key: string]: unknown;
}

/**
 * A running actor of one instance kept between events, so an event costs one `send` instead of a
 * restore. It is only trusted at `revision`: the store's optimistic check catches another writer,
 * and any failed transaction drops it.
 */
export class LiveInstance {
  readonly meta: InstanceMeta;
  readonly #actor: Actor<AnyStateMachine>;
  readonly #drafts: EffectDraft[] = [];
  #error: unknown;
  revision: number;
  phase: string;
  ended: boolean;
  /** The timers the store holds for it since its last write, or undefined when not known. */
  timers: readonly TimerRecord[] | undefined;
  /** The counts stored with its last write, or undefined when not known. */
  overdue: number | undefined;
  escalated: number | undefined;

  constructor(
    machine: AnyStateMachine,
    meta: InstanceMeta,
    state: { revision: number; phase: string; ended: boolean; timers?: readonly TimerRecord[]; overdue?: number; escalated?: number },
    from: { snapshot: PersistedSnapshot } | { input: unknown },
  ) {
    this.meta = meta;
    this.revision = state.revision;
    this.phase = state.phase;
    this.ended = state.ended;
    this.timers = state.timers;
    this.overdue = state.overdue;
    this.escalated = state.escalated;
    this.#actor = createActor(machine, 'snapshot' in from ? { snapshot: from.snapshot as never } : { input: from.input });
    this.#actor.on('effect', (e) => void this.#drafts.push(e as EffectDraft));
    this.#actor.subscribe({ error: (e: unknown) => (this.#error = e ?? new Error('unknown failure')) });
    this.#actor.start();
  }

  /** The failure the actor met, if any: a failed actor must be dropped. */
  get error(): unknown {
    return this.#error;
  }

  get context(): InstanceContext {
    return (this.#actor.getSnapshot() as { context: InstanceContext }).context;
  }

  /** Sends one event and returns the effects it emitted and the snapshot to persist. */
  step(event: unknown): { effects: EffectDraft[]; snapshot: PersistedSnapshot } {
    this.#drafts.length = 0;
    this.#actor.send(event as never);
    return { effects: [...this.#drafts], snapshot: this.snapshot() };
  }

  snapshot(): PersistedSnapshot {
    return this.#actor.getPersistedSnapshot() as unknown as PersistedSnapshot;
  }

  stop(): void {
    this.#actor.stop();
  }
}

/** Live instances by id, least recently used dropped first. */
export class LiveInstances {
  readonly #max: number;
  readonly #map = new Map<string, LiveInstance>();

  constructor(max: number) {
    this.#max = max;
  }

  get(id: string): LiveInstance | undefined {
    const live = this.#map.get(id);
    if (live) {
      this.#map.delete(id);
      this.#map.set(id, live);
    }
    return live;
  }

  set(live: LiveInstance): void {
    if (this.#max === 0) return;
    this.drop(live.meta.id);
    this.#map.set(live.meta.id, live);
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
  }

  drop(id: string): void {
    const live = this.#map.get(id);
    if (!live) return;
    this.#map.delete(id);
    live.stop();
  }

  clear(): void {
    for (const id of [...this.#map.keys()]) this.drop(id);
  }

  get size(): number {
    return this.#map.size;
  }
}
