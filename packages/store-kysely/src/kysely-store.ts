import type {
  CampaignRecord,
  DefinitionRecord,
  HistoryRecord,
  InstanceRecord,
  OutboxRecord,
  Store,
  StoreTransaction,
  TimerRecord,
} from '@luoshi/engine';
import type { Kysely } from 'kysely';
import type { AsyncLock } from './async-lock.js';
import { chunks, KyselyStoreTransaction } from './kysely-store-transaction.js';
import { asStoreConflict } from './retryable-error.js';
import { campaignFromRow, definitionFromRow, historyFromRow, outboxFromRow, timerFromRow } from './records.js';
import type { Database } from './schema.js';
import type { StoreCapabilities } from './store-capabilities.js';
import { StoreQueries } from './store-queries.js';

/** How a `KyselyStore` is wired; built by `createKyselyStore`. */
export interface KyselyStoreWiring {
  readonly capabilities: StoreCapabilities;
  /** Queues this process's transactions before they reach the database (SQLite files), if needed. */
  readonly writeLock?: AsyncLock | undefined;
  /** Runs after each commit, still inside the write queue (e.g. to pace a checkpointer); must be cheap and not throw. */
  readonly afterCommit?: () => void;
  /** Runs once this process's queued transactions are done, before Kysely is destroyed (e.g. to stop a checkpointer). */
  readonly beforeClose?: () => Promise<void>;
  /** Runs after Kysely is destroyed, to release what the factory acquired. */
  readonly onClose?: () => void;
}

type Connection = Kysely<Database>;

const byDueTime = (a: TimerRecord, b: TimerRecord): number =>
  a.dueAt - b.dueAt || (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * A `Store` on Kysely. Each transaction holds one connection from `begin` (SQLite: `begin immediate`)
 * to `commit`; `transactionBatch` runs each function in a savepoint of one transaction, so a batch
 * of events costs one commit while a failing event rolls back alone.
 */
export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;
  readonly #writeLock: AsyncLock | undefined;
  readonly #afterCommit: (() => void) | undefined;
  readonly #beforeClose: (() => Promise<void>) | undefined;
  readonly #onClose: (() => void) | undefined;
  readonly #queries: StoreQueries;
  readonly #reads: KyselyStoreTransaction;
  #closed = false;

  constructor(db: Kysely<Database>, wiring: KyselyStoreWiring) {
    this.#db = db;
    this.#writeLock = wiring.writeLock;
    this.#afterCommit = wiring.afterCommit;
    this.#beforeClose = wiring.beforeClose;
    this.#onClose = wiring.onClose;
    this.#queries = new StoreQueries(db, wiring.capabilities);
    this.#reads = new KyselyStoreTransaction(db, this.#queries);
  }

  /** The Kysely instance underneath, for reports and maintenance; writes should go through `transaction`. */
  get db(): Kysely<Database> {
    return this.#db;
  }

  /** Opens a transaction on one connection, runs `work`, commits, or rolls back and rethrows. */
  #inTransaction<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const queries = this.#queries;
    const run = () =>
      this.#db.connection().execute(async (connection) => {
        await connection.executeQuery(queries.begin);
        let result: T;
        try {
          result = await work(connection);
          await connection.executeQuery(queries.commit);
        } catch (error) {
          // After a failed statement SQLite may already have rolled back; the original error matters.
          await connection.executeQuery(queries.rollback).catch(() => undefined);
          // A deadlock or serialization failure (e.g. at commit) is retried like a revision conflict.
          throw asStoreConflict(error);
        }
        this.#afterCommit?.();
        return result;
      });
    return this.#writeLock === undefined ? run() : this.#writeLock.run(run);
  }

  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return this.#inTransaction(async (connection) => {
      const tx = new KyselyStoreTransaction(connection, this.#queries);
      try {
        return await fn(tx);
      } finally {
        tx.close();
      }
    });
  }

  transactionBatch<T>(fns: readonly ((tx: StoreTransaction) => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
    const queries = this.#queries;
    return this.#inTransaction(async (connection) => {
      const outcomes: PromiseSettledResult<T>[] = [];
      for (const fn of fns) {
        await connection.executeQuery(queries.savepoint);
        const tx = new KyselyStoreTransaction(connection, queries);
        let outcome: PromiseSettledResult<T>;
        try {
          outcome = { status: 'fulfilled', value: await fn(tx) };
        } catch (reason) {
          outcome = { status: 'rejected', reason };
          await connection.executeQuery(queries.rollbackToSavepoint);
        } finally {
          tx.close();
        }
        await connection.executeQuery(queries.releaseSavepoint);
        outcomes.push(outcome);
      }
      return outcomes;
    });
  }

  getInstance(id: string): Promise<InstanceRecord | undefined> {
    return this.#reads.getInstance(id);
  }

  listInstances(campaignId: string): Promise<InstanceRecord[]> {
    return this.#reads.listInstances(campaignId);
  }

  getCampaign(id: string): Promise<CampaignRecord | undefined> {
    return this.#reads.getCampaign(id);
  }

  /** Every campaign, ordered by `startedAt` then id. */
  async listCampaigns(): Promise<CampaignRecord[]> {
    const rows = await this.#db.selectFrom('campaigns').selectAll().orderBy('started_at').orderBy('id').execute();
    return rows.map(campaignFromRow);
  }

  getDefinition(processId: string, version?: number): Promise<DefinitionRecord | undefined> {
    return this.#reads.getDefinition(processId, version);
  }

  /** Every version of every process, by process id then version (C collation orders ids as the memory store does). */
  async listDefinitions(): Promise<DefinitionRecord[]> {
    const rows = await this.#db.selectFrom('definitions').selectAll().orderBy('process_id').orderBy('version').execute();
    return rows.map(definitionFromRow);
  }

  async history(instanceId: string): Promise<HistoryRecord[]> {
    const rows = await this.#db.selectFrom('history').selectAll().where('instance_id', '=', instanceId).orderBy('revision').execute();
    return rows.map(historyFromRow);
  }

  /**
   * The `at` of each instance's latest entry (one primary-key look-up per instance, not a scan of
   * the history), the greatest of them: the engine writes every instance's history in time order,
   * so this is the campaign's latest applied time.
   */
  async campaignTime(campaignId?: string): Promise<number | undefined> {
    const joined = this.#db
      .selectFrom('instances')
      .innerJoin('history', (join) => join.onRef('history.instance_id', '=', 'instances.id').onRef('history.revision', '=', 'instances.revision'))
      .select((eb) => eb.fn.max('history.at').as('at'));
    const row = await (campaignId === undefined ? joined : joined.where('instances.campaign_id', '=', campaignId)).executeTakeFirst();
    // PostgreSQL's driver returns a bigint as text; no rows give null.
    return row?.at === undefined || row.at === null ? undefined : Number(row.at);
  }

  async dueTimers(until: number, limit: number): Promise<TimerRecord[]> {
    // SQLite reads a negative limit as "no limit"; PostgreSQL rejects it.
    if (limit <= 0) return [];
    const { rows } = await this.#queries.dueTimers.execute(this.#db, [until, limit]);
    return rows.map(timerFromRow);
  }

  /**
   * Deletes and returns up to `limit` timers due at or before `until`, earliest first (then by
   * instance id and key), in one transaction of its own: a timer is returned by one call only,
   * however many stores claim at once. PostgreSQL picks them `for update skip locked`, so concurrent
   * claimers take disjoint batches without waiting (a timer locked by another transaction, being
   * claimed or moved, is left for a later call); SQLite's claimers take turns on the write lock.
   */
  async claimDueTimers(until: number, limit: number): Promise<TimerRecord[]> {
    if (limit <= 0) return [];
    const queries = this.#queries;
    const rows = await this.#inTransaction(async (connection) => (await queries.claimDueTimers.execute(connection, [until, limit])).rows);
    return rows.map(timerFromRow).sort(byDueTime);
  }

  async nextTimer(): Promise<TimerRecord | undefined> {
    const { rows } = await this.#queries.nextTimer.execute(this.#db, []);
    const row = rows[0];
    return row === undefined ? undefined : timerFromRow(row);
  }

  /** The instance's timers, ordered by `dueAt` then key. */
  async timers(instanceId: string): Promise<TimerRecord[]> {
    const rows = await this.#db
      .selectFrom('timers')
      .select(['instance_id', 'key', 'due_at'])
      .where('instance_id', '=', instanceId)
      .orderBy('due_at')
      .orderBy('key')
      .execute();
    return rows.map(timerFromRow);
  }

  async pendingOutbox(limit: number): Promise<OutboxRecord[]> {
    if (limit <= 0) return [];
    const rows = await this.#db
      .selectFrom('outbox')
      .select(['id', 'instance_id', 'effect', 'created_at'])
      .where('delivered_at', 'is', null)
      .orderBy('created_at')
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(outboxFromRow);
  }

  /** Marks effects delivered at `at`; an effect already delivered keeps its first delivery time. */
  async markDelivered(ids: readonly string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    await this.#inTransaction(async (connection) => {
      for (const run of chunks(ids)) {
        await connection
          .updateTable('outbox')
          .set({ delivered_at: at })
          .where('id', 'in', run)
          .where('delivered_at', 'is', null)
          .execute();
      }
    });
  }

  /** Waits for this process's queued transactions (SQLite files), then destroys Kysely and its connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const destroy = async () => {
      try {
        await this.#beforeClose?.();
      } finally {
        await this.#db.destroy();
      }
    };
    try {
      await (this.#writeLock === undefined ? destroy() : this.#writeLock.run(destroy));
    } finally {
      this.#onClose?.();
    }
  }
}
