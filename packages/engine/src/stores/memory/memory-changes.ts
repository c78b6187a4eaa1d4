import type { CampaignRecord, DefinitionRecord, HistoryRecord, InstanceRecord, OutboxRecord, TimerRecord } from '../../ports/store.js';
import { compareInstances, pairKey } from './records.js';

/*
 * The overlay of a memory store's transaction (事务的改动): its writes, read through to the committed
 * data or to the overlay of an enclosing batch, and absorbed by that parent on commit.
 */

/** What a transaction reads: the committed data, or the overlay of an enclosing batch. */
export interface MemoryView {
  definition(processId: string, version: number | undefined): DefinitionRecord | undefined;
  campaign(id: string): CampaignRecord | undefined;
  instance(id: string): InstanceRecord | undefined;
  /** Instances of a campaign ordered by unit path; the caller must not mutate the array. */
  instances(campaignId: string): readonly InstanceRecord[];
  hasRevision(instanceId: string, revision: number): boolean;
  /** The entry recorded with an idempotency key (see `StoreTransaction.idempotentEntry`). */
  idempotentEntry(instanceId: string, key: string): HistoryRecord | undefined;
  /** The latest `at` of an instance's entries (see `StoreTransaction.instanceTime`). */
  instanceTime(instanceId: string): number | undefined;
  timersOf(instanceId: string): ReadonlyMap<string, TimerRecord>;
  /** The ids starting with `prefix` that have timers (for the claim rule of campaign-wide timers). */
  timerOwners(prefix: string): Set<string>;
  hasOutbox(id: string): boolean;
  /** Takes in the writes of a committed child overlay. */
  absorb(changes: MemoryChanges): void;
}

/** Changes to an instance's timers: key → its new timer, or null when deleted. */
export type TimerPatch = Map<string, TimerRecord | null>;

function patched(base: ReadonlyMap<string, TimerRecord>, patch: TimerPatch): Map<string, TimerRecord> {
  const timers = new Map(base);
  for (const [key, timer] of patch) {
    if (timer === null) timers.delete(key);
    else timers.set(key, timer);
  }
  return timers;
}

export const NONE_MAP: ReadonlyMap<never, never> = new Map<never, never>();
const NONE_LIST: readonly never[] = [];
/** Up to this many entries an overlay looks for a revision or an effect id among them rather than in a set. */
const FEW = 8;

/**
 * The writes of one transaction (or one savepoint of a batch), not yet visible to anyone else. Each
 * collection is made when first written (reads see an empty one): an event writes three or four of
 * the ten, and a simulated year opens a transaction per event.
 */
export class MemoryChanges implements MemoryView {
  #definitions: Map<string, DefinitionRecord> | undefined;
  #campaigns: Map<string, CampaignRecord> | undefined;
  #instanceWrites: Map<string, InstanceRecord> | undefined;
  #history: HistoryRecord[] | undefined;
  #revisions: Set<string> | undefined;
  /** The entries carrying an idempotency key, by instance id and key (`pairKey`). */
  #keyed: Map<string, HistoryRecord> | undefined;
  #timers: Map<string, Map<string, TimerRecord>> | undefined;
  #timerPatches: Map<string, TimerPatch> | undefined;
  #outbox: OutboxRecord[] | undefined;
  #outboxIds: Set<string> | undefined;

  get definitions(): ReadonlyMap<string, DefinitionRecord> {
    return this.#definitions ?? NONE_MAP;
  }
  get campaigns(): ReadonlyMap<string, CampaignRecord> {
    return this.#campaigns ?? NONE_MAP;
  }
  get instanceWrites(): ReadonlyMap<string, InstanceRecord> {
    return this.#instanceWrites ?? NONE_MAP;
  }
  get history(): readonly HistoryRecord[] {
    return this.#history ?? NONE_LIST;
  }
  /** The complete new timer set of each instance whose timers were replaced (this overlay's own maps). */
  get timers(): ReadonlyMap<string, Map<string, TimerRecord>> {
    return this.#timers ?? NONE_MAP;
  }
  /**
   * The changes to the parent's timers of each instance whose timers were only patched or claimed:
   * an event changes a few of an instance's timers, and copying the whole set per event was a
   * twentieth of a simulation's allocations. An instance is in `timers` or here, never both.
   */
  get timerPatches(): ReadonlyMap<string, TimerPatch> {
    return this.#timerPatches ?? NONE_MAP;
  }
  get outbox(): readonly OutboxRecord[] {
    return this.#outbox ?? NONE_LIST;
  }

  setDefinition(key: string, record: DefinitionRecord): void {
    (this.#definitions ??= new Map()).set(key, record);
  }

  setCampaign(record: CampaignRecord): void {
    (this.#campaigns ??= new Map()).set(record.id, record);
  }

  writeInstance(record: InstanceRecord): void {
    (this.#instanceWrites ??= new Map()).set(record.id, record);
  }

  /**
   * An appended history entry, with its idempotency key noted for the duplicate checks. Its revision
   * is found in the entries themselves while they are few (most transactions write one), and in a
   * set once they are many.
   */
  addHistory(record: HistoryRecord): void {
    const history = (this.#history ??= []);
    history.push(record);
    if (this.#revisions !== undefined) this.#revisions.add(pairKey(record.instanceId, record.revision));
    else if (history.length > FEW) this.#revisions = new Set(history.map((r) => pairKey(r.instanceId, r.revision)));
    if (record.idempotencyKey !== null) (this.#keyed ??= new Map()).set(pairKey(record.instanceId, record.idempotencyKey), record);
  }

  /** An added effect; its id is found among the records while they are few, as a revision is. */
  addOutbox(record: OutboxRecord): void {
    const outbox = (this.#outbox ??= []);
    outbox.push(record);
    if (this.#outboxIds !== undefined) this.#outboxIds.add(record.id);
    else if (outbox.length > FEW) this.#outboxIds = new Set(outbox.map((r) => r.id));
  }

  constructor(readonly parent: MemoryView) {}

  definition(processId: string, version: number | undefined): DefinitionRecord | undefined {
    if (version !== undefined) {
      return this.definitions.get(pairKey(processId, version)) ?? this.parent.definition(processId, version);
    }
    let latest = this.parent.definition(processId, undefined);
    for (const record of this.definitions.values()) {
      if (record.processId === processId && (latest === undefined || record.version > latest.version)) latest = record;
    }
    return latest;
  }

  campaign(id: string): CampaignRecord | undefined {
    return this.campaigns.get(id) ?? this.parent.campaign(id);
  }

  instance(id: string): InstanceRecord | undefined {
    return this.instanceWrites.get(id) ?? this.parent.instance(id);
  }

  instances(campaignId: string): readonly InstanceRecord[] {
    const inherited = this.parent.instances(campaignId);
    if (this.instanceWrites.size === 0) return inherited;
    const merged = new Map<string, InstanceRecord>();
    for (const record of inherited) merged.set(record.id, this.instanceWrites.get(record.id) ?? record);
    for (const record of this.instanceWrites.values()) merged.set(record.id, record);
    return [...merged.values()].filter((record) => record.campaignId === campaignId).sort(compareInstances);
  }

  hasRevision(instanceId: string, revision: number): boolean {
    const own =
      this.#revisions !== undefined
        ? this.#revisions.has(pairKey(instanceId, revision))
        : (this.#history?.some((r) => r.revision === revision && r.instanceId === instanceId) ?? false);
    return own || this.parent.hasRevision(instanceId, revision);
  }

  idempotentEntry(instanceId: string, key: string): HistoryRecord | undefined {
    return this.#keyed?.get(pairKey(instanceId, key)) ?? this.parent.idempotentEntry(instanceId, key);
  }

  /** Its own entries searched: asked only when the engine restores an instance, and an overlay holds a batch's entries at most. */
  instanceTime(instanceId: string): number | undefined {
    let latest = this.parent.instanceTime(instanceId);
    for (const record of this.history) if (record.instanceId === instanceId && (latest === undefined || record.at > latest)) latest = record.at;
    return latest;
  }

  timersOf(instanceId: string): ReadonlyMap<string, TimerRecord> {
    const full = this.timers.get(instanceId);
    if (full !== undefined) return full;
    const patch = this.timerPatches.get(instanceId);
    return patch === undefined ? this.parent.timersOf(instanceId) : patched(this.parent.timersOf(instanceId), patch);
  }

  timerOwners(prefix: string): Set<string> {
    const owners = this.parent.timerOwners(prefix);
    for (const id of [...this.timers.keys(), ...this.timerPatches.keys()]) {
      if (!id.startsWith(prefix)) continue;
      if (this.timersOf(id).size > 0) owners.add(id);
      else owners.delete(id);
    }
    return owners;
  }

  /** Sets (a timer) or deletes (null) one key of an instance's timers. */
  writeTimer(instanceId: string, key: string, timer: TimerRecord | null): void {
    const full = this.#timers?.get(instanceId);
    if (full !== undefined) {
      if (timer === null) full.delete(key);
      else full.set(key, timer);
      return;
    }
    const patches = (this.#timerPatches ??= new Map());
    let patch = patches.get(instanceId);
    if (patch === undefined) patches.set(instanceId, (patch = new Map()));
    patch.set(key, timer);
  }

  replaceAllTimers(instanceId: string, timers: Map<string, TimerRecord>): void {
    (this.#timers ??= new Map()).set(instanceId, timers);
    this.#timerPatches?.delete(instanceId);
  }

  hasOutbox(id: string): boolean {
    const own = this.#outboxIds !== undefined ? this.#outboxIds.has(id) : (this.#outbox?.some((r) => r.id === id) ?? false);
    return own || this.parent.hasOutbox(id);
  }

  absorb(changes: MemoryChanges): void {
    for (const [key, record] of changes.definitions) this.setDefinition(key, record);
    for (const record of changes.campaigns.values()) this.setCampaign(record);
    for (const record of changes.instanceWrites.values()) this.writeInstance(record);
    for (const record of changes.history) this.addHistory(record);
    for (const [id, timers] of changes.timers) this.replaceAllTimers(id, timers);
    for (const [id, patch] of changes.timerPatches) for (const [key, timer] of patch) this.writeTimer(id, key, timer);
    for (const record of changes.outbox) this.addOutbox(record);
  }
}
