import type {
  CampaignRecord,
  DefinitionRecord,
  HistoryRecord,
  InstanceRecord,
  OutboxRecord,
  StoreTransaction,
  TimerRecord,
} from '../ports/store.js';

/**
 * A `StoreTransaction` whose methods return at once: how a store held in memory does its work. The
 * same methods, so the two cannot drift apart.
 */
export type SyncStoreTransaction = {
  readonly [K in keyof StoreTransaction]: StoreTransaction[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never;
};

/**
 * The `StoreTransaction` of a store whose work is synchronous: each call made on the synchronous
 * transaction, its result (or its exception) handed back as a promise.
 */
export class PromisedTransaction implements StoreTransaction {
  readonly #tx: SyncStoreTransaction;

  constructor(tx: SyncStoreTransaction) {
    this.#tx = tx;
  }

  async getDefinition(processId: string, version?: number): Promise<DefinitionRecord | undefined> {
    return this.#tx.getDefinition(processId, version);
  }

  async insertDefinition(record: DefinitionRecord): Promise<void> {
    this.#tx.insertDefinition(record);
  }

  async getCampaign(id: string): Promise<CampaignRecord | undefined> {
    return this.#tx.getCampaign(id);
  }

  async insertCampaign(record: CampaignRecord): Promise<void> {
    this.#tx.insertCampaign(record);
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    return this.#tx.getInstance(id);
  }

  async listInstances(campaignId: string): Promise<InstanceRecord[]> {
    return this.#tx.listInstances(campaignId);
  }

  async insertInstance(record: InstanceRecord): Promise<void> {
    this.#tx.insertInstance(record);
  }

  async updateInstance(record: InstanceRecord, expectedRevision: number): Promise<void> {
    this.#tx.updateInstance(record, expectedRevision);
  }

  async appendHistory(record: HistoryRecord): Promise<void> {
    this.#tx.appendHistory(record);
  }

  async hasIdempotencyKey(instanceId: string, key: string): Promise<boolean> {
    return this.#tx.hasIdempotencyKey(instanceId, key);
  }

  async idempotentEntry(instanceId: string, key: string): Promise<HistoryRecord | undefined> {
    return this.#tx.idempotentEntry(instanceId, key);
  }

  async instanceTime(instanceId: string): Promise<number | undefined> {
    return this.#tx.instanceTime(instanceId);
  }

  async replaceTimers(instanceId: string, timers: readonly TimerRecord[]): Promise<void> {
    this.#tx.replaceTimers(instanceId, timers);
  }

  async patchTimers(instanceId: string, put: readonly TimerRecord[], remove: readonly string[]): Promise<void> {
    this.#tx.patchTimers(instanceId, put, remove);
  }

  async claimTimer(timer: TimerRecord): Promise<boolean> {
    return this.#tx.claimTimer(timer);
  }

  async addOutbox(records: readonly OutboxRecord[]): Promise<void> {
    this.#tx.addOutbox(records);
  }
}
