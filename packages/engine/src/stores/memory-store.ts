import { EngineError, StoreConflictError } from '../errors/engine-error.js';
import {
  STORE_BUSY,
  type CampaignRecord,
  type DefinitionRecord,
  type HistoryRecord,
  type InstanceRecord,
  type OutboxRecord,
  type Store,
  type StoreTransaction,
  type SyncStoreTransaction,
  type TimerRecord,
} from '../ports/store.js';
import { compareText } from './compare-text.js';
import { PromisedTransaction } from './promised-transaction.js';
import { compareTimers, TimerQueue } from './timer-queue.js';

/*
 * Layout: committed data lives in `MemoryData` and changes only, synchronously, when a transaction
 * commits. A transaction writes into a `MemoryChanges` overlay that reads through to its parent
 * (the data, or the overlay of a batch), so a rollback is dropping the overlay and readers outside
 * never see uncommitted writes. Transactions are serialised by a mutex; `transactionSync` runs only
 * when it is free.
 */

/**
 * The campaign a timer belongs to: its instance id up to the first "/" (instance ids are
 * `${campaignId}/${unitId}`), or the whole id for a campaign-wide timer (a ranking).
 */
function campaignOfTimer(instanceId: string): string {
  const slash = instanceId.indexOf('/');
  return slash < 0 ? instanceId : instanceId.slice(0, slash);
}

function compareInstances(a: InstanceRecord, b: InstanceRecord): number {
  return compareText(a.unitPath, b.unitPath) || compareText(a.id, b.id);
}

/** Whether `timers` (by key) is the set `previous` describes, the last of a repeated key winning. */
function sameTimers(timers: ReadonlyMap<string, TimerRecord>, previous: readonly TimerRecord[]): boolean {
  const before = new Map<string, number>();
  for (const timer of previous) before.set(timer.key, timer.dueAt);
  if (before.size !== timers.size) return false;
  for (const [key, timer] of timers) if (before.get(key) !== timer.dueAt) return false;
  return true;
}

function pairKey(a: string, b: string | number): string {
  return `${a}\u0000${b}`;
}

/**
 * A frozen copy of an instance record, field by field: a copy by spread gets a layout of its own
 * from V8, and a large simulation holds one record per unit. A record its writer froze is kept as
 * it is (the engine freezes each one it writes): nobody can change it, and a copy per event was
 * one more object kept until the unit's next event.
 */
function instanceCopy(record: InstanceRecord): InstanceRecord {
  if (Object.isFrozen(record)) return record;
  return Object.freeze({
    id: record.id,
    campaignId: record.campaignId,
    unitId: record.unitId,
    unitPath: record.unitPath,
    phase: record.phase,
    overdue: record.overdue,
    escalated: record.escalated,
    ended: record.ended,
    snapshot: record.snapshot,
    revision: record.revision,
  });
}

/** A frozen copy of a history entry, field by field: an entry may keep its JSON behind getters, which a spread would not copy. */
function historyCopy(appended: HistoryRecord): HistoryRecord {
  return Object.freeze({
    instanceId: appended.instanceId,
    revision: appended.revision,
    type: appended.type,
    event: appended.event,
    actor: appended.actor,
    cause: appended.cause,
    at: appended.at,
    state: appended.state,
    idempotencyKey: appended.idempotencyKey,
  });
}

function duplicate(kind: string, id: string): EngineError {
  return new EngineError('STORE_DUPLICATE', { kind, id });
}

/** What a transaction reads: the committed data, or the overlay of an enclosing batch. */
interface MemoryView {
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
type TimerPatch = Map<string, TimerRecord | null>;

function patched(base: ReadonlyMap<string, TimerRecord>, patch: TimerPatch): Map<string, TimerRecord> {
  const timers = new Map(base);
  for (const [key, timer] of patch) {
    if (timer === null) timers.delete(key);
    else timers.set(key, timer);
  }
  return timers;
}

const NONE_MAP: ReadonlyMap<never, never> = new Map<never, never>();
const NONE_LIST: readonly never[] = [];
/** Up to this many entries an overlay looks for a revision or an effect id among them rather than in a set. */
const FEW = 8;

/**
 * The writes of one transaction (or one savepoint of a batch), not yet visible to anyone else. Each
 * collection is made when first written (reads see an empty one): an event writes three or four of
 * the ten, and a simulated year opens a transaction per event.
 */
class MemoryChanges implements MemoryView {
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

interface StoredOutbox {
  readonly record: OutboxRecord;
  readonly sequence: number;
  deliveredAt: number | undefined;
}

/** The committed contents of a memory store. */
class MemoryData implements MemoryView {
  constructor(readonly keepHistory: boolean) {}

  readonly #definitions = new Map<string, Map<number, DefinitionRecord>>();
  readonly #campaigns = new Map<string, CampaignRecord>();
  readonly #instances = new Map<string, InstanceRecord>();
  readonly #campaignMembers = new Map<string, Set<string>>();
  /** Per campaign, its instance ids ordered by unit path; dropped when membership or a path changes. */
  readonly #sortedMembers = new Map<string, readonly string[]>();
  /** Per instance, its history ordered by revision. */
  readonly #history = new Map<string, HistoryRecord[]>();
  /** Per instance, the entries carrying an idempotency key, by key: kept with or without history. */
  readonly #keyed = new Map<string, Map<string, HistoryRecord>>();
  /** Per instance, the latest `at` of its entries: kept with or without history. */
  readonly #times = new Map<string, number>();
  /** Per instance, its timers by key, handed to readers as they are (never copied). */
  readonly #timers = new Map<string, Map<string, TimerRecord>>();
  /** Every timer written, live or not: a queued record is live while its instance still maps its key to that very record. */
  readonly #queue = new TimerQueue();
  #timerCount = 0;
  readonly #outbox = new Map<string, StoredOutbox>();
  /** Ids of delivered effects a store without history no longer holds (still refused as duplicates). */
  readonly #deliveredIds = new Set<string>();
  /** Undelivered effects; kept in (createdAt, sequence) order, re-sorted lazily after a late insert. */
  #pending = new Map<string, StoredOutbox>();
  #pendingSorted = true;
  #lastPendingCreatedAt = -Infinity;
  #sequence = 0;

  definition(processId: string, version: number | undefined): DefinitionRecord | undefined {
    const versions = this.#definitions.get(processId);
    if (versions === undefined) return undefined;
    if (version !== undefined) return versions.get(version);
    let latest: DefinitionRecord | undefined;
    for (const record of versions.values()) if (latest === undefined || record.version > latest.version) latest = record;
    return latest;
  }

  campaign(id: string): CampaignRecord | undefined {
    return this.#campaigns.get(id);
  }

  /** Every version of every process, by process id then version. */
  definitions(): DefinitionRecord[] {
    return [...this.#definitions.values()]
      .flatMap((versions) => [...versions.values()])
      .sort((a, b) => (a.processId < b.processId ? -1 : a.processId > b.processId ? 1 : a.version - b.version));
  }

  campaigns(): CampaignRecord[] {
    return [...this.#campaigns.values()].sort((a, b) => a.startedAt - b.startedAt || compareText(a.id, b.id));
  }

  instance(id: string): InstanceRecord | undefined {
    return this.#instances.get(id);
  }

  instances(campaignId: string): readonly InstanceRecord[] {
    let ids = this.#sortedMembers.get(campaignId);
    if (ids === undefined) {
      const members = [...(this.#campaignMembers.get(campaignId) ?? [])].map((id) => this.#instances.get(id) as InstanceRecord);
      ids = members.sort(compareInstances).map((record) => record.id);
      this.#sortedMembers.set(campaignId, ids);
    }
    return ids.map((id) => this.#instances.get(id) as InstanceRecord);
  }

  hasRevision(instanceId: string, revision: number): boolean {
    const entries = this.#history.get(instanceId);
    if (entries === undefined) return false;
    // Revisions arrive in order: a new one is past the last entry, and that is one read, not a search.
    const last = entries.at(-1);
    if (last === undefined || last.revision < revision) return false;
    let low = 0;
    let high = entries.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = (entries[middle] as HistoryRecord).revision;
      if (found === revision) return true;
      if (found < revision) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  history(instanceId: string): HistoryRecord[] {
    return [...(this.#history.get(instanceId) ?? [])];
  }

  idempotentEntry(instanceId: string, key: string): HistoryRecord | undefined {
    return this.#keyed.get(instanceId)?.get(key);
  }

  instanceTime(instanceId: string): number | undefined {
    return this.#times.get(instanceId);
  }

  /** The latest instance time of a campaign (of every instance without an id). */
  campaignTime(campaignId: string | undefined): number | undefined {
    let latest: number | undefined;
    const ids = campaignId === undefined ? this.#times.keys() : (this.#campaignMembers.get(campaignId) ?? []);
    for (const id of ids) {
      const at = this.#times.get(id);
      if (at !== undefined && (latest === undefined || at > latest)) latest = at;
    }
    return latest;
  }

  timersOf(instanceId: string): ReadonlyMap<string, TimerRecord> {
    return this.#timers.get(instanceId) ?? NONE_MAP;
  }

  timerOwners(prefix: string): Set<string> {
    const owners = new Set<string>();
    for (const id of this.#timers.keys()) if (id.startsWith(prefix)) owners.add(id);
    return owners;
  }

  hasOutbox(id: string): boolean {
    return this.#outbox.has(id) || this.#deliveredIds.has(id);
  }

  absorb(changes: MemoryChanges): void {
    for (const record of changes.definitions.values()) {
      let versions = this.#definitions.get(record.processId);
      if (versions === undefined) this.#definitions.set(record.processId, (versions = new Map()));
      versions.set(record.version, record);
    }
    for (const record of changes.campaigns.values()) this.#campaigns.set(record.id, record);
    for (const record of changes.instanceWrites.values()) this.#writeInstance(record);
    for (const record of changes.history) {
      const kept = this.#appendHistory(record);
      const time = this.#times.get(record.instanceId);
      if (time === undefined || record.at > time) this.#times.set(record.instanceId, record.at);
      if (record.idempotencyKey === null) continue;
      let keyed = this.#keyed.get(record.instanceId);
      if (keyed === undefined) this.#keyed.set(record.instanceId, (keyed = new Map()));
      keyed.set(record.idempotencyKey, kept ?? historyCopy(record));
    }
    for (const [instanceId, timers] of changes.timers) this.#replaceTimers(instanceId, timers);
    for (const [instanceId, patch] of changes.timerPatches) this.#patchTimers(instanceId, patch);
    for (const record of changes.outbox) {
      const stored: StoredOutbox = { record, sequence: this.#sequence++, deliveredAt: undefined };
      this.#outbox.set(record.id, stored);
      this.#pending.set(record.id, stored);
      if (record.createdAt < this.#lastPendingCreatedAt) this.#pendingSorted = false;
      else this.#lastPendingCreatedAt = record.createdAt;
    }
  }

  #writeInstance(record: InstanceRecord): void {
    const previous = this.#instances.get(record.id);
    this.#instances.set(record.id, record);
    if (previous !== undefined && previous.campaignId === record.campaignId && previous.unitPath === record.unitPath) return;
    if (previous !== undefined) {
      this.#campaignMembers.get(previous.campaignId)?.delete(record.id);
      this.#sortedMembers.delete(previous.campaignId);
    }
    let members = this.#campaignMembers.get(record.campaignId);
    if (members === undefined) this.#campaignMembers.set(record.campaignId, (members = new Set()));
    members.add(record.id);
    this.#sortedMembers.delete(record.campaignId);
  }

  /** Keeps a copy of the entry in the instance's history, when the store keeps history; returns the copy. */
  #appendHistory(appended: HistoryRecord): HistoryRecord | undefined {
    if (!this.keepHistory) return undefined;
    // Copied here, not when appended: a store without history never reads an entry's (lazily made) JSON.
    const record = historyCopy(appended);
    let entries = this.#history.get(record.instanceId);
    if (entries === undefined) this.#history.set(record.instanceId, (entries = []));
    let index = entries.length;
    while (index > 0 && (entries[index - 1] as HistoryRecord).revision > record.revision) index--;
    entries.splice(index, 0, record);
    return record;
  }

  /** Makes an instance's timers exactly `timers`: a patch that also deletes every key it lacks. */
  #replaceTimers(instanceId: string, timers: ReadonlyMap<string, TimerRecord>): void {
    const patch: TimerPatch = new Map(timers);
    for (const key of this.#timers.get(instanceId)?.keys() ?? []) if (!timers.has(key)) patch.set(key, null);
    this.#patchTimers(instanceId, patch);
  }

  /** Writes the keys of a patch, leaving the instance's other timers as they are. */
  #patchTimers(instanceId: string, patch: TimerPatch): void {
    let stored = this.#timers.get(instanceId);
    if (stored === undefined) this.#timers.set(instanceId, (stored = new Map()));
    for (const [key, timer] of patch) {
      const kept = stored.get(key);
      if (timer === null) {
        if (kept !== undefined) {
          stored.delete(key);
          this.#timerCount--;
        }
        continue;
      }
      if (kept !== undefined && kept.dueAt === timer.dueAt) continue;
      if (kept === undefined) this.#timerCount++;
      stored.set(key, timer);
      this.#queue.push(timer);
    }
    if (stored.size === 0) this.#timers.delete(instanceId);
    this.#compactQueue();
  }

  /** Moved and deleted timers leave dead queue entries behind; past a point the queue is rebuilt from the live ones. */
  #compactQueue(): void {
    if (this.#queue.size > 2 * this.#timerCount + 1024) {
      this.#queue.rebuild([...this.#timers.values()].flatMap((byKey) => [...byKey.values()]));
    }
  }

  /**
   * Whether a queued record is still its instance's timer. Compared by identity: a moved timer is a
   * new record. The same record written again after it was deleted or moved is queued twice; the two copies
   * are equal, so they leave the queue one after the other, and `dueTimers` skips the second.
   */
  #isLive(timer: TimerRecord): boolean {
    return this.#timers.get(timer.instanceId)?.get(timer.key) === timer;
  }

  dueTimers(until: number, limit: number): TimerRecord[] {
    const taken: TimerRecord[] = [];
    while (taken.length < limit) {
      const top = this.#queue.peek();
      if (top === undefined) break;
      if (!this.#isLive(top) || top === taken.at(-1)) {
        this.#queue.pop();
        continue;
      }
      if (top.dueAt > until) break;
      taken.push(this.#queue.pop() as TimerRecord);
    }
    for (const timer of taken) this.#queue.push(timer);
    return taken;
  }

  nextTimer(): TimerRecord | undefined {
    for (;;) {
      const top = this.#queue.peek();
      if (top === undefined || this.#isLive(top)) return top;
      this.#queue.pop();
    }
  }

  timers(instanceId: string): TimerRecord[] {
    return [...this.timersOf(instanceId).values()].sort(compareTimers);
  }

  pendingOutbox(limit: number): OutboxRecord[] {
    if (!this.#pendingSorted) {
      const sorted = [...this.#pending.values()].sort(
        (a, b) => a.record.createdAt - b.record.createdAt || a.sequence - b.sequence,
      );
      this.#pending = new Map(sorted.map((stored) => [stored.record.id, stored]));
      this.#pendingSorted = true;
    }
    const result: OutboxRecord[] = [];
    for (const stored of this.#pending.values()) {
      if (result.length >= limit) break;
      result.push(stored.record);
    }
    return result;
  }

  markDelivered(ids: readonly string[], at: number): void {
    for (const id of ids) {
      const stored = this.#pending.get(id);
      if (stored === undefined) continue;
      stored.deliveredAt = at;
      this.#pending.delete(id);
      if (this.keepHistory) continue;
      // Nothing reads a delivered effect again; a year of them was a tenth of a large simulation's memory.
      this.#outbox.delete(id);
      this.#deliveredIds.add(id);
    }
    if (this.#pending.size === 0) {
      this.#pendingSorted = true;
      this.#lastPendingCreatedAt = -Infinity;
    }
  }
}

/** The transaction of a memory store: writes go to an overlay, checked before anything is written. */
class MemoryTransaction implements SyncStoreTransaction {
  readonly #changes: MemoryChanges;
  #open = true;

  constructor(changes: MemoryChanges) {
    this.#changes = changes;
  }

  close(): void {
    this.#open = false;
  }

  #use(): MemoryChanges {
    if (!this.#open) throw new Error('This store transaction has already finished');
    return this.#changes;
  }

  getDefinition(processId: string, version?: number): DefinitionRecord | undefined {
    return this.#use().definition(processId, version);
  }

  insertDefinition(record: DefinitionRecord): void {
    const changes = this.#use();
    if (changes.definition(record.processId, record.version) !== undefined) {
      throw duplicate('definition', `${record.processId}@${record.version}`);
    }
    changes.setDefinition(pairKey(record.processId, record.version), Object.freeze({ ...record }));
  }

  getCampaign(id: string): CampaignRecord | undefined {
    return this.#use().campaign(id);
  }

  insertCampaign(record: CampaignRecord): void {
    const changes = this.#use();
    if (changes.campaign(record.id) !== undefined) throw duplicate('campaign', record.id);
    changes.setCampaign(Object.freeze({ ...record }));
  }

  getInstance(id: string): InstanceRecord | undefined {
    return this.#use().instance(id);
  }

  listInstances(campaignId: string): InstanceRecord[] {
    return [...this.#use().instances(campaignId)];
  }

  insertInstance(record: InstanceRecord): void {
    const changes = this.#use();
    if (changes.instance(record.id) !== undefined) throw duplicate('instance', record.id);
    changes.writeInstance(instanceCopy(record));
  }

  updateInstance(record: InstanceRecord, expectedRevision: number): void {
    const changes = this.#use();
    if (changes.instance(record.id)?.revision !== expectedRevision) throw new StoreConflictError(record.id, expectedRevision);
    changes.writeInstance(instanceCopy(record));
  }

  appendHistory(record: HistoryRecord): void {
    const changes = this.#use();
    if (changes.hasRevision(record.instanceId, record.revision)) {
      throw duplicate('history entry', `${record.instanceId}#${record.revision}`);
    }
    if (record.idempotencyKey !== null && changes.idempotentEntry(record.instanceId, record.idempotencyKey) !== undefined) {
      throw duplicate('idempotency key', record.idempotencyKey);
    }
    changes.addHistory(record);
  }

  hasIdempotencyKey(instanceId: string, key: string): boolean {
    return this.#use().idempotentEntry(instanceId, key) !== undefined;
  }

  idempotentEntry(instanceId: string, key: string): HistoryRecord | undefined {
    return this.#use().idempotentEntry(instanceId, key);
  }

  instanceTime(instanceId: string): number | undefined {
    return this.#use().instanceTime(instanceId);
  }

  /** With `previous` equal to `timers` (the common case) nothing is written, so the commit has nothing to merge. */
  replaceTimers(instanceId: string, timers: readonly TimerRecord[], previous?: readonly TimerRecord[]): void {
    const changes = this.#use();
    const next = new Map<string, TimerRecord>();
    // Frozen records of this instance are kept as they are (the engine hands the same ones event after event).
    for (const timer of timers)
      next.set(timer.key, Object.isFrozen(timer) && timer.instanceId === instanceId ? timer : Object.freeze({ instanceId, key: timer.key, dueAt: timer.dueAt }));
    if (previous !== undefined && sameTimers(next, previous)) return;
    changes.replaceAllTimers(instanceId, next);
  }

  patchTimers(instanceId: string, put: readonly TimerRecord[], remove: readonly string[]): void {
    if (put.length === 0 && remove.length === 0) return;
    const changes = this.#use();
    for (const key of remove) changes.writeTimer(instanceId, key, null);
    for (const timer of put)
      changes.writeTimer(instanceId, timer.key, Object.isFrozen(timer) && timer.instanceId === instanceId ? timer : Object.freeze({ instanceId, key: timer.key, dueAt: timer.dueAt }));
  }

  /** Refused, too, while a related timer that sorts before it still exists (the claim rule in `ports/store.ts`). */
  claimTimer(timer: TimerRecord): boolean {
    const changes = this.#use();
    const current = changes.timersOf(timer.instanceId);
    if (current.get(timer.key)?.dueAt !== timer.dueAt) return false;
    const campaignId = campaignOfTimer(timer.instanceId);
    const related = campaignId === timer.instanceId ? [campaignId, ...changes.timerOwners(`${campaignId}/`)] : [timer.instanceId, campaignId];
    for (const id of related) for (const other of changes.timersOf(id).values()) if (compareTimers(other, timer) < 0) return false;
    changes.writeTimer(timer.instanceId, timer.key, null);
    return true;
  }

  addOutbox(records: readonly OutboxRecord[]): void {
    const changes = this.#use();
    const ids = new Set<string>();
    for (const record of records) {
      if (ids.has(record.id) || changes.hasOutbox(record.id)) throw duplicate('outbox entry', record.id);
      ids.add(record.id);
    }
    // A record its writer froze is kept as it is (see `instanceCopy`): its effect's JSON may be made
    // only when read, and a store in memory need never read it.
    for (const record of records) {
      changes.addOutbox(
        Object.isFrozen(record) ? record : Object.freeze({ id: record.id, instanceId: record.instanceId, effect: record.effect, createdAt: record.createdAt }),
      );
    }
  }
}

/**
 * A `Store` held in memory, for tests and the simulator: transactions are serialised and atomic
 * (their writes sit in an overlay until commit), timers are kept in a heap so `nextTimer` and
 * `dueTimers` stay cheap with many instances. Nothing survives the process.
 */
export class MemoryStore implements Store {
  readonly #data: MemoryData;
  /** Sections waiting for the one running (none running: `#busy` is false). */
  readonly #waiting: (() => void)[] = [];
  #busy = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.#data = new MemoryData(options.keepHistory ?? true);
  }

  /**
   * Runs `work` after every earlier exclusive section has finished, in the order they were asked
   * for. A section asked for while none runs starts at once: a simulated year runs one transaction
   * per event, one after the other, and a chain of promises made each wait a turn and allocate.
   */
  async #exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#busy = true;
    try {
      return await work();
    } finally {
      this.#release();
    }
  }

  /** Ends a section: the next waiting one inherits the lock, so nobody else can take it between the two. */
  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#busy = false;
  }

  /** Runs `fn` against a fresh overlay of `parent`; the overlay is absorbed only if `fn` succeeds. */
  async #run<T>(parent: MemoryView, fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const changes = new MemoryChanges(parent);
    const tx = new MemoryTransaction(changes);
    try {
      const result = await fn(new PromisedTransaction(tx));
      parent.absorb(changes);
      return result;
    } finally {
      tx.close();
    }
  }

  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return this.#exclusive(() => this.#run(this.#data, fn));
  }

  transactionSync<T>(fn: (tx: SyncStoreTransaction) => T): T | typeof STORE_BUSY {
    if (this.#busy) return STORE_BUSY;
    this.#busy = true;
    const changes = new MemoryChanges(this.#data);
    const tx = new MemoryTransaction(changes);
    try {
      const result = fn(tx);
      this.#data.absorb(changes);
      return result;
    } finally {
      tx.close();
      this.#release();
    }
  }

  transactionBatch<T>(fns: readonly ((tx: StoreTransaction) => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
    return this.#exclusive(async () => {
      const batch = new MemoryChanges(this.#data);
      const outcomes: PromiseSettledResult<T>[] = [];
      for (const fn of fns) {
        try {
          outcomes.push({ status: 'fulfilled', value: await this.#run(batch, fn) });
        } catch (reason) {
          outcomes.push({ status: 'rejected', reason });
        }
      }
      this.#data.absorb(batch);
      return outcomes;
    });
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    return this.#data.instance(id);
  }

  async listInstances(campaignId: string): Promise<InstanceRecord[]> {
    return [...this.#data.instances(campaignId)];
  }

  async getCampaign(id: string): Promise<CampaignRecord | undefined> {
    return this.#data.campaign(id);
  }

  /** Every campaign, ordered by `startedAt` then id. */
  async listCampaigns(): Promise<CampaignRecord[]> {
    return this.#data.campaigns();
  }

  async getDefinition(processId: string, version?: number): Promise<DefinitionRecord | undefined> {
    return this.#data.definition(processId, version);
  }

  async listDefinitions(): Promise<DefinitionRecord[]> {
    return this.#data.definitions();
  }

  async history(instanceId: string): Promise<HistoryRecord[]> {
    return this.#data.history(instanceId);
  }

  async campaignTime(campaignId?: string): Promise<number | undefined> {
    return this.#data.campaignTime(campaignId);
  }

  async dueTimers(until: number, limit: number): Promise<TimerRecord[]> {
    return this.#data.dueTimers(until, limit);
  }

  async nextTimer(): Promise<TimerRecord | undefined> {
    return this.#data.nextTimer();
  }

  /** The instance's timers, ordered by `dueAt` then key. */
  async timers(instanceId: string): Promise<TimerRecord[]> {
    return this.#data.timers(instanceId);
  }

  async pendingOutbox(limit: number): Promise<OutboxRecord[]> {
    return this.#data.pendingOutbox(limit);
  }

  /** At once when no transaction is open: a section would hold the lock across a turn, and an event arriving meanwhile would have to wait for it. */
  markDelivered(ids: readonly string[], at: number): Promise<void> {
    if (this.#busy) return this.#exclusive(async () => this.#data.markDelivered(ids, at));
    try {
      this.#data.markDelivered(ids, at);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Waits for running transactions; the data stays readable (there is nothing to release). */
  close(): Promise<void> {
    return this.#exclusive(async () => undefined);
  }
}

/** Creates an empty in-memory store. */
/** How a memory store is set up. */
export interface MemoryStoreOptions {
  /**
   * Whether to keep each instance's history (default true). Without it `history` is always empty
   * and `Engine.replay` cannot work, but a long run holds a fraction of the memory: a simulated year
   * reads its result from the instances, not from the audit trail. The entries that carry an
   * idempotency key, and each instance's time, are kept either way; delivered effects are then kept
   * only as ids (an id used again is still refused).
   */
  readonly keepHistory?: boolean;
}

export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new MemoryStore(options);
}
