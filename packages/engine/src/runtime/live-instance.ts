import { createActor, type Actor, type AnyActorRef, type AnyStateMachine } from 'xstate';
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
  readonly #children = new PersistedChildren();
  #error: unknown;
  #stateText: string | undefined;
  revision: number;
  /** Events sent to the actor so far (whether or not their step was then committed). */
  steps = 0;
  phase: string;
  ended: boolean;
  /**
   * Whether the store holds exactly the timers its state implies (`desiredTimers`), as after every
   * write by this engine: a step then writes only the difference. False when restored.
   */
  timersKnown = false;
  /**
   * The instance's time (实例时间): the latest `at` of its history, as the store holds it when restored
   * and moved by every step. No event is applied at an earlier time (see `eventTime`).
   */
  time = -Infinity;
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

  /** Sends one event and returns the snapshot to persist; `effects` then holds what it emitted. */
  step(event: unknown): PersistedSnapshot {
    this.#drafts.length = 0;
    this.steps++;
    this.#actor.send(event as never);
    return this.snapshot();
  }

  /** The effects the last `step` emitted. */
  get effects(): readonly EffectDraft[] {
    return this.#drafts.length === 0 ? NO_DRAFTS : [...this.#drafts];
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
    return persistedSnapshotOf(this.#actor, this.#children) as PersistedSnapshot;
  }

  stop(): void {
    this.#actor.stop();
  }
}

/** The effects of a step that raised none (most): one array for all. */
const NO_DRAFTS: readonly EffectDraft[] = Object.freeze([]);

/** The history value of a snapshot without history states: one object for all (XState copies it before a change). */
const NO_HISTORY: Readonly<Record<string, never>> = Object.freeze({});

/** What XState's own `getPersistedSnapshot` reads of a machine snapshot. */
interface MachineSnapshotParts {
  /** The machine: set on the snapshot of a machine actor, not on those of other actor logic. */
  readonly machine?: unknown;
  readonly children: Readonly<Record<string, AnyActorRef>>;
  readonly context: unknown;
  readonly historyValue?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/**
 * The persisted snapshot of a root actor, equal to `actor.getPersistedSnapshot()` but without
 * XState's walk through the whole context looking for actor references: the records are plain
 * JSON by construction (the RecordKeeper never puts an actor in them, and sub-processes are invoked,
 * kept among the children, never spawned into the context), and that walk was a third of the cost
 * of an event for a unit with many members. The same holds for its sub-process children, whose
 * snapshots are made this way too. Anything unusual (history states, logic other than a machine)
 * takes XState's own path. A root's children go through its `cache`; a sub-process's own are made again.
 */
function persistedSnapshotOf(actor: AnyActorRef, cache?: PersistedChildren): unknown {
  const snapshot = actor.getSnapshot() as MachineSnapshotParts;
  if (snapshot.machine === undefined || (snapshot.historyValue && Object.keys(snapshot.historyValue).length > 0)) return actor.getPersistedSnapshot();
  const { children, context } = snapshot;
  // Field by field, not by rest and spread: V8 would give every snapshot object a layout of its own.
  const persisted: Record<string, unknown> = {
    status: snapshot.status,
    value: snapshot.value,
    historyValue: NO_HISTORY,
    context,
    children: cache ? cache.of(children) : persistedChildrenOf(children),
  };
  if (snapshot.output !== undefined) persisted.output = snapshot.output;
  if (snapshot.error !== undefined) persisted.error = snapshot.error;
  return persisted;
}

/** The persisted form of a sub-process's own children (rare), made afresh with its snapshot. */
function persistedChildrenOf(children: Readonly<Record<string, AnyActorRef>>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const id in children) record[id] = persistedChild(children[id] as AnyActorRef).entry;
  return record;
}

/**
 * The persisted form of one root's children, kept by its live instance and the same object as long
 * as no child has changed: most events of a unit change nothing in its sub-processes, and its
 * snapshot is persisted on every one. Every actor under the root is watched (a change of its
 * snapshot marks the set; 五评 runs a sub-process of its own), so an event that changed none reads
 * no child at all: each read of a child's actor and snapshot was a cache miss on every event of its
 * parent.
 */
class PersistedChildren {
  #children: Readonly<Record<string, AnyActorRef>> | undefined;
  #ids: readonly string[] = [];
  #actors: readonly AnyActorRef[] = [];
  #made: PersistedChild[] = [];
  #record: Record<string, unknown> = {};
  /** Whether a watched actor's snapshot may have changed since the record was made. */
  #changed = false;
  readonly #watching = new WeakSet<AnyActorRef>();
  readonly #mark = (): void => void (this.#changed = true);

  of(children: Readonly<Record<string, AnyActorRef>>): Record<string, unknown> {
    if (children === this.#children && !this.#changed) return this.#record;
    this.#changed = false;
    if (children !== this.#children) {
      // XState copies the children object only when a child starts or stops: the others are kept.
      const actors = this.#actors;
      const made = this.#made;
      this.#children = children;
      this.#ids = Object.keys(children);
      this.#actors = this.#ids.map((id) => children[id] as AnyActorRef);
      this.#made = this.#actors.map((actor) => this.#watched(actor, persistedChild(actor, made[actors.indexOf(actor)])));
      return (this.#record = this.#recordOf());
    }
    let changed = false;
    for (let i = 0; i < this.#made.length; i++) {
      const known = this.#made[i] as PersistedChild;
      const actor = this.#actors[i] as AnyActorRef;
      const made = persistedChild(actor, known);
      if (made === known) continue;
      this.#made[i] = this.#watched(actor, made);
      changed = true;
    }
    if (changed) this.#record = this.#recordOf();
    return this.#record;
  }

  /** `made` once every actor of the child's subtree (one started since included) is watched. */
  #watched(child: AnyActorRef, made: PersistedChild): PersistedChild {
    const watch = (actor: AnyActorRef): void => {
      if (!this.#watching.has(actor)) {
        this.#watching.add(actor);
        actor.subscribe({ next: this.#mark, error: this.#mark, complete: this.#mark });
      }
      const { children } = actor.getSnapshot() as ActorSnapshotParts;
      if (children !== undefined) for (const id in children) watch(children[id] as AnyActorRef);
    };
    watch(child);
    return made;
  }

  #recordOf(): Record<string, unknown> {
    const record: Record<string, unknown> = {};
    this.#ids.forEach((id, i) => (record[id] = (this.#made[i] as PersistedChild).entry));
    return record;
  }
}

/** A child's persisted entry (its snapshot and how to restore it) and the snapshots of its subtree it was made from. */
interface PersistedChild {
  readonly snapshots: readonly unknown[];
  readonly entry: unknown;
}

interface ActorSnapshotParts {
  readonly children?: Readonly<Record<string, AnyActorRef>>;
}

/** The snapshots of an actor and of all its descendants, depth first. */
function subtreeSnapshots(actor: AnyActorRef, into: unknown[]): unknown[] {
  const snapshot = actor.getSnapshot() as ActorSnapshotParts;
  into.push(snapshot);
  const { children } = snapshot;
  if (children !== undefined) for (const id in children) subtreeSnapshots(children[id] as AnyActorRef, into);
  return into;
}

/**
 * Whether an actor's subtree still has the snapshots `known` lists from `at` on (depth first, as
 * `subtreeSnapshots` lists them); returns the index after the subtree, or -1 when one differs.
 * Compared in place: this runs for every child on every event of its parent.
 */
function sameSubtree(actor: AnyActorRef, known: readonly unknown[], at: number): number {
  const snapshot = actor.getSnapshot() as ActorSnapshotParts;
  if (known[at] !== snapshot) return -1;
  let next = at + 1;
  const { children } = snapshot;
  if (children !== undefined)
    for (const id in children) {
      next = sameSubtree(children[id] as AnyActorRef, known, next);
      if (next < 0) return -1;
    }
  return next;
}

/**
 * A sub-process child's persisted snapshot: `known` (what was made for it last) while neither its
 * snapshot nor any of its descendants' has changed, else made again. Snapshots are immutable and
 * replaced on every change, and a child changes only when one of its items is done, while its
 * parent persists on every event.
 */
function persistedChild(child: AnyActorRef, known?: PersistedChild): PersistedChild {
  if (known !== undefined && sameSubtree(child, known.snapshots, 0) === known.snapshots.length) return known;
  const internals = child as unknown as { readonly systemId?: string; readonly _syncSnapshot?: boolean };
  const entry = { snapshot: persistedSnapshotOf(child), src: child.src, systemId: internals.systemId, syncSnapshot: internals._syncSnapshot };
  return { snapshots: subtreeSnapshots(child, []), entry };
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
    // Recency matters only once something has to be dropped; until the map is full, moving an entry
    // to the end on every event (a delete and an insert in a map of every unit) bought nothing.
    if (live && this.#map.size >= this.#max) {
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
