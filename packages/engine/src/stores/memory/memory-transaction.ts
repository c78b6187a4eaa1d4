import { StoreConflictError } from '../../errors/engine-error.js';
import type { CampaignRecord, DefinitionRecord, HistoryRecord, InstanceRecord, OutboxRecord, TimerRecord } from '../../ports/store.js';
import type { SyncStoreTransaction } from '../promised-transaction.js';
import { timerCampaign } from '../../runtime/timer-keys.js';
import { compareTimers } from '../timer-queue.js';
import type { MemoryChanges } from './memory-changes.js';
import { duplicate, instanceCopy, pairKey } from './records.js';

/*
 * The transaction of a memory store (存储事务): the checks each write makes (duplicates, revisions,
 * the timer claim rule) before it goes to the overlay.
 */

/** The transaction of a memory store: writes go to an overlay, checked before anything is written. */
export class MemoryTransaction implements SyncStoreTransaction {
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

  replaceTimers(instanceId: string, timers: readonly TimerRecord[]): void {
    const changes = this.#use();
    const next = new Map<string, TimerRecord>();
    // Frozen records of this instance are kept as they are (the engine hands the same ones event after event).
    for (const timer of timers)
      next.set(timer.key, Object.isFrozen(timer) && timer.instanceId === instanceId ? timer : Object.freeze({ instanceId, key: timer.key, dueAt: timer.dueAt }));
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
    const campaignId = timerCampaign(timer.instanceId);
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
