import {
  type CampaignRecord,
  type DefinitionRecord,
  type HistoryRecord,
  type InstanceRecord,
  type OutboxRecord,
  type Store,
  type StoreTransaction,
  type TimerRecord,
} from '../ports/store.js';
import { MemoryChanges, type MemoryView } from './memory/memory-changes.js';
import { MemoryData } from './memory/memory-data.js';
import { MemoryTransaction } from './memory/memory-transaction.js';
import { PromisedTransaction } from './promised-transaction.js';

/*
 * Layout: committed data lives in `MemoryData` and changes only, synchronously, when a transaction
 * commits. A transaction writes into a `MemoryChanges` overlay that reads through to its parent
 * (the data, or the overlay of a batch), so a rollback is dropping the overlay and readers outside
 * never see uncommitted writes. Transactions are serialised by a mutex. The parts, in stores/memory/: records.ts (the frozen copies kept), memory-changes.ts
 * (the overlay), memory-data.ts (the committed data), memory-transaction.ts (the rules a write checks).
 */

/**
 * A `Store` held in memory, for tests, examples and embedding without a database: transactions are serialised and atomic
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
   * for. A section asked for while none runs starts at once.
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

  async dueTimers(until: number, limit: number, campaignId?: string): Promise<TimerRecord[]> {
    return this.#data.dueTimers(until, limit, campaignId);
  }

  async nextTimer(campaignId?: string): Promise<TimerRecord | undefined> {
    return this.#data.nextTimer(campaignId);
  }

  async campaignClocks(): Promise<ReadonlyMap<string, number>> {
    return this.#data.campaignClocks();
  }

  async setCampaignClock(campaignId: string, time: number | undefined): Promise<void> {
    this.#data.setCampaignClock(campaignId, time);
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

/** Creates an empty in-memory store. */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  return new MemoryStore(options);
}
