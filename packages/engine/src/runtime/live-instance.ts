import { createActor, type Actor, type AnyActorRef, type AnyStateMachine } from 'xstate';
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
  #stateText: string | undefined;
  revision: number;
  phase: string;
  ended: boolean;
  /** The timers the store holds for it since its last write, by key, or undefined when not known. */
  timers: Map<string, TimerRecord> | undefined;
  /** The counts stored with its last write, or undefined when not known. */
  overdue: number | undefined;
  escalated: number | undefined;
  /** The revision and context last committed to the store (set after the commit; queries may read it). */
  committed: { readonly revision: number; readonly context: InstanceContext } | undefined;

  constructor(
    machine: AnyStateMachine,
    meta: InstanceMeta,
    state: { revision: number; phase: string; ended: boolean; overdue?: number; escalated?: number },
    from: { snapshot: PersistedSnapshot } | { input: unknown },
  ) {
    this.meta = meta;
    this.revision = state.revision;
    this.phase = state.phase;
    this.ended = state.ended;
    this.timers = undefined;
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

  snapshot(): PersistedSnapshot {
    return persistedSnapshot(this.#actor);
  }

  stop(): void {
    this.#actor.stop();
  }
}

/** What XState's own `getPersistedSnapshot` reads of a machine snapshot. */
interface MachineSnapshotParts {
  readonly children: Readonly<Record<string, AnyActorRef>>;
  readonly context: unknown;
  readonly historyValue?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/**
 * The persisted snapshot of a root actor, equal to `actor.getPersistedSnapshot()` but without
 * XState's walk through the whole context looking for actor references: the records are plain
 * JSON by construction (the RecordKeeper never puts an actor in them), and that walk was a third
 * of the cost of an event for a unit with many members. Anything unusual (history states) takes
 * XState's own path.
 */
export function persistedSnapshot(actor: Actor<AnyStateMachine>): PersistedSnapshot {
  const snapshot = actor.getSnapshot() as unknown as MachineSnapshotParts;
  if (snapshot.historyValue && Object.keys(snapshot.historyValue).length > 0) return actor.getPersistedSnapshot() as unknown as PersistedSnapshot;
  const { children, context } = snapshot;
  const persistedChildren: Record<string, unknown> = {};
  for (const [id, child] of Object.entries(children)) {
    const internals = child as unknown as { readonly systemId?: string; readonly _syncSnapshot?: boolean };
    persistedChildren[id] = {
      snapshot: persistedChild(child),
      src: child.src,
      systemId: internals.systemId,
      syncSnapshot: internals._syncSnapshot,
    };
  }
  // Field by field, not by rest and spread: V8 would give every snapshot object a layout of its own.
  const persisted: Record<string, unknown> = { status: snapshot.status, value: snapshot.value, historyValue: {}, context, children: persistedChildren };
  if (snapshot.output !== undefined) persisted.output = snapshot.output;
  if (snapshot.error !== undefined) persisted.error = snapshot.error;
  return persisted as unknown as PersistedSnapshot;
}

/** A child's persisted snapshot and the snapshots of its subtree it was made from. */
interface PersistedChild {
  readonly snapshots: readonly unknown[];
  readonly persisted: unknown;
}

const persistedChildren = new WeakMap<AnyActorRef, PersistedChild>();

/** The snapshots of an actor and of all its descendants, depth first. */
function subtreeSnapshots(actor: AnyActorRef, into: unknown[]): unknown[] {
  const snapshot = actor.getSnapshot() as { readonly children?: Readonly<Record<string, AnyActorRef>> };
  into.push(snapshot);
  for (const child of Object.values(snapshot.children ?? {})) subtreeSnapshots(child, into);
  return into;
}

/**
 * A sub-process child's persisted snapshot, made again only when its snapshot or one of its
 * descendants' has changed: snapshots are immutable and replaced on every change, and a child
 * changes only when one of its items is done, while its parent persists on every event.
 */
function persistedChild(child: AnyActorRef): unknown {
  const snapshots = subtreeSnapshots(child, []);
  const known = persistedChildren.get(child);
  if (known !== undefined && known.snapshots.length === snapshots.length && known.snapshots.every((s, i) => s === snapshots[i])) return known.persisted;
  const persisted = child.getPersistedSnapshot();
  persistedChildren.set(child, { snapshots, persisted });
  return persisted;
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

  /** The live instance without marking it recently used (for queries). */
  peek(id: string): LiveInstance | undefined {
    return this.#map.get(id);
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
