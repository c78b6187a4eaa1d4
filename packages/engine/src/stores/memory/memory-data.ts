import type { CampaignRecord, DefinitionRecord, HistoryRecord, InstanceRecord, OutboxRecord, TimerRecord } from '../../ports/store.js';
import { compareText } from '../compare-text.js';
import { TimerSet } from '../timer-set.js';
import type { MemoryChanges, MemoryView } from './memory-changes.js';
import { compareInstances, historyCopy } from './records.js';

/*
 * The committed data of a memory store (已提交的数据): definitions, campaigns, instances, history,
 * timers in a heap, and the outbox; changed only when a transaction's overlay is absorbed.
 */

interface StoredOutbox {
  readonly record: OutboxRecord;
  readonly sequence: number;
  deliveredAt: number | undefined;
}

/** The committed contents of a memory store. */
export class MemoryData implements MemoryView {
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
  /** Every instance's timers, by key and in due order. */
  readonly #timers = new TimerSet();
  /** The rehearsal clocks: campaign id → its time (演练时钟). */
  readonly #clocks = new Map<string, number>();
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
    return this.#timers.of(instanceId);
  }

  timerOwners(prefix: string): Set<string> {
    return this.#timers.owners(prefix);
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
    for (const [instanceId, timers] of changes.timers) this.#timers.replace(instanceId, timers);
    for (const [instanceId, patch] of changes.timerPatches) this.#timers.patch(instanceId, patch);
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

  /** See `Store.dueTimers`: one campaign's timers, or those of the campaigns on the wall clock. */
  dueTimers(until: number, limit: number, campaignId?: string): TimerRecord[] {
    if (campaignId === undefined && this.#clocks.size === 0) return this.#timers.due(until, limit);
    const clocks = this.#clocks;
    return this.#timers.due(until, limit, (timer) => (campaignId === undefined ? !clocks.has(campaignOf(timer)) : campaignOf(timer) === campaignId));
  }

  nextTimer(campaignId?: string): TimerRecord | undefined {
    if (campaignId === undefined && this.#clocks.size === 0) return this.#timers.next();
    return this.dueTimers(Number.POSITIVE_INFINITY, 1, campaignId)[0];
  }

  /** See `Store.campaignClocks`. */
  campaignClocks(): ReadonlyMap<string, number> {
    return new Map(this.#clocks);
  }

  /** See `Store.setCampaignClock`. */
  setCampaignClock(campaignId: string, time: number | undefined): void {
    if (time === undefined) this.#clocks.delete(campaignId);
    else this.#clocks.set(campaignId, time);
  }

  timers(instanceId: string): TimerRecord[] {
    return this.#timers.list(instanceId);
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

/** The campaign a timer belongs to: its instance's campaign (`campaign/unit`), or the campaign itself (a ranking). */
function campaignOf(timer: TimerRecord): string {
  const slash = timer.instanceId.indexOf('/');
  return slash < 0 ? timer.instanceId : timer.instanceId.slice(0, slash);
}
