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
import { pause, unavailable, type DatabaseFaults } from './database-faults.js';
import { chunks, KyselyStoreTransaction } from './kysely-store-transaction.js';
import { asStoreConflict } from './retryable-error.js';
import { campaignFromRow, definitionFromRow, historyFromRow, outboxFromRow, timerFromRow } from './records.js';
import type { Database } from './schema.js';
import { isStorableText } from './storable-text.js';
import type { StoreCapabilities } from './store-capabilities.js';
import { ofCampaign, StoreQueries } from './store-queries.js';

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
  /** How the dialect's failures are retried and reported; none: driver errors pass as they are. */
  readonly faults?: DatabaseFaults;
}

/** How far a call got before it failed: a transaction whose work began is never run again by the store. */
interface Attempt {
  began: boolean;
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
  readonly #faults: DatabaseFaults | undefined;
  /**
   * Set when a call gave up on a server out of reach, cleared by the next call that reaches it:
   * meanwhile each call tries once, so requests answer STORE_UNAVAILABLE at once during an outage
   * instead of each waiting out the retries, and the first one after the server returns succeeds.
   */
  #unreachable = false;
  #closed = false;

  constructor(db: Kysely<Database>, wiring: KyselyStoreWiring) {
    this.#db = db;
    this.#writeLock = wiring.writeLock;
    this.#afterCommit = wiring.afterCommit;
    this.#beforeClose = wiring.beforeClose;
    this.#onClose = wiring.onClose;
    this.#queries = new StoreQueries(db, wiring.capabilities);
    this.#reads = new KyselyStoreTransaction(db, this.#queries);
    this.#faults = wiring.faults;
  }

  /**
   * Runs a call of the store, trying it again with growing pauses while the server is out of reach
   * (the policy's `retryForMs` in all) unless it had begun a transaction's work: that work may
   * have changed the caller's state (the engine's live actors), and a failure at `commit` leaves
   * unknown whether it was saved, so it fails with STORE_UNAVAILABLE and the caller decides (the
   * engine answers 503; a client repeats the request with its idempotency key). Every other driver
   * failure becomes the dialect's coded error where there is one.
   */
  async #guarded<T>(call: (attempt: Attempt) => Promise<T>): Promise<T> {
    const faults = this.#faults;
    if (faults === undefined) return call({ began: false });
    const { retryForMs, firstDelayMs, maxDelayMs } = faults.retry;
    const deadline = Date.now() + (this.#unreachable ? 0 : retryForMs);
    let delay = firstDelayMs;
    for (;;) {
      const attempt: Attempt = { began: false };
      try {
        const result = await call(attempt);
        this.#unreachable = false;
        return result;
      } catch (error) {
        if (!faults.isUnavailable(error)) throw faults.translate(error);
        if (attempt.began) throw unavailable(error, 'the connection was lost during a transaction; it was rolled back unless it had reached its commit');
        if (this.#closed || Date.now() + delay > deadline) {
          this.#unreachable = true;
          throw unavailable(error);
        }
        await pause(delay);
        delay = Math.min(2 * delay, maxDelayMs);
      }
    }
  }

  /** A read: run again while the server is out of reach (it changes nothing). */
  #read<T>(query: () => Promise<T>): Promise<T> {
    return this.#guarded(query);
  }

  /** The Kysely instance underneath, for reports and maintenance; writes should go through `transaction`. */
  get db(): Kysely<Database> {
    return this.#db;
  }

  /** Opens a transaction on one connection, runs `work`, commits, or rolls back and rethrows. */
  #inTransaction<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const queries = this.#queries;
    const run = (attempt: Attempt) =>
      this.#db.connection().execute(async (connection) => {
        await connection.executeQuery(queries.begin);
        let result: T;
        try {
          attempt.began = true;
          result = await work(connection);
          const { rows } = await connection.executeQuery(queries.commit);
          // PostgreSQL answers `commit` with ROLLBACK when an earlier statement left the transaction aborted.
          if ((rows[0] as { command?: unknown } | undefined)?.command === 'ROLLBACK') {
            throw new Error('The transaction was rolled back at its commit: a statement in it had failed');
          }
        } catch (error) {
          // After a failed statement SQLite may already have rolled back; the original error matters.
          await connection.executeQuery(queries.rollback).catch(() => undefined);
          // A deadlock or serialization failure (e.g. at commit) is retried like a revision conflict.
          throw asStoreConflict(error);
        }
        this.#afterCommit?.();
        return result;
      });
    const lock = this.#writeLock;
    return this.#guarded((attempt) => (lock === undefined ? run(attempt) : lock.run(() => run(attempt))));
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
          // A failure that leaves the transaction usable (a refused text, a constraint) is this one's alone, coded like any other.
          outcome = { status: 'rejected', reason: this.#faults === undefined ? reason : this.#faults.translate(reason) };
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
    return this.#read(() => this.#reads.getInstance(id));
  }

  listInstances(campaignId: string): Promise<InstanceRecord[]> {
    return this.#read(() => this.#reads.listInstances(campaignId));
  }

  getCampaign(id: string): Promise<CampaignRecord | undefined> {
    return this.#read(() => this.#reads.getCampaign(id));
  }

  /** Every campaign, ordered by `startedAt` then id. */
  async listCampaigns(): Promise<CampaignRecord[]> {
    const rows = await this.#read(() => this.#db.selectFrom('campaigns').selectAll().orderBy('started_at').orderBy('id').execute());
    return rows.map(campaignFromRow);
  }

  getDefinition(processId: string, version?: number): Promise<DefinitionRecord | undefined> {
    return this.#read(() => this.#reads.getDefinition(processId, version));
  }

  /** Every version of every process, by process id then version (C collation orders ids as the memory store does). */
  async listDefinitions(): Promise<DefinitionRecord[]> {
    const rows = await this.#read(() => this.#db.selectFrom('definitions').selectAll().orderBy('process_id').orderBy('version').execute());
    return rows.map(definitionFromRow);
  }

  async history(instanceId: string): Promise<HistoryRecord[]> {
    if (!isStorableText(instanceId)) return [];
    const rows = await this.#read(() =>
      this.#db.selectFrom('history').selectAll().where('instance_id', '=', instanceId).orderBy('revision').execute(),
    );
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

  async dueTimers(until: number, limit: number, campaignId?: string): Promise<TimerRecord[]> {
    // SQLite reads a negative limit as "no limit"; PostgreSQL rejects it.
    if (limit <= 0) return [];
    if (campaignId !== undefined) {
      if (!isStorableText(campaignId)) return [];
      const rows = await this.#read(() =>
        this.#db
          .selectFrom('timers')
          .select(['instance_id', 'key', 'due_at'])
          .where('due_at', '<=', until)
          .where(ofCampaign(campaignId))
          .orderBy('due_at')
          .orderBy('instance_id')
          .orderBy('key')
          .limit(limit)
          .execute(),
      );
      return rows.map(timerFromRow);
    }
    const { rows } = await this.#read(() => this.#queries.dueTimers.execute(this.#db, [until, limit]));
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

  async nextTimer(campaignId?: string): Promise<TimerRecord | undefined> {
    if (campaignId !== undefined) return (await this.dueTimers(Number.MAX_SAFE_INTEGER, 1, campaignId))[0];
    const { rows } = await this.#read(() => this.#queries.nextTimer.execute(this.#db, []));
    const row = rows[0];
    return row === undefined ? undefined : timerFromRow(row);
  }

  async campaignClocks(): Promise<ReadonlyMap<string, number>> {
    const rows = await this.#read(() => this.#db.selectFrom('campaign_clocks').select(['campaign_id', 'now']).orderBy('campaign_id').execute());
    // PostgreSQL's driver returns a bigint as text.
    return new Map(rows.map((row) => [row.campaign_id, Number(row.now)]));
  }

  async setCampaignClock(campaignId: string, time: number | undefined): Promise<void> {
    await this.#inTransaction(async (connection) => {
      await connection.deleteFrom('campaign_clocks').where('campaign_id', '=', campaignId).execute();
      if (time !== undefined) await connection.insertInto('campaign_clocks').values({ campaign_id: campaignId, now: time }).execute();
    });
  }

  /** The instance's timers, ordered by `dueAt` then key. */
  async timers(instanceId: string): Promise<TimerRecord[]> {
    if (!isStorableText(instanceId)) return [];
    const rows = await this.#read(() =>
      this.#db
        .selectFrom('timers')
        .select(['instance_id', 'key', 'due_at'])
        .where('instance_id', '=', instanceId)
        .orderBy('due_at')
        .orderBy('key')
        .execute(),
    );
    return rows.map(timerFromRow);
  }

  async pendingOutbox(limit: number): Promise<OutboxRecord[]> {
    if (limit <= 0) return [];
    const rows = await this.#read(() =>
      this.#db
        .selectFrom('outbox')
        .select(['id', 'instance_id', 'effect', 'created_at'])
        .where('delivered_at', 'is', null)
        .orderBy('created_at')
        .orderBy('seq')
        .limit(limit)
        .execute(),
    );
    return rows.map(outboxFromRow);
  }

  /**
   * 活动效果 — every effect a campaign's instances made, delivered or not, in the order they were
   * made: what a simulation continued from the campaign counts as already done (`simulateFrom`).
   * Not part of the `Store` port: only a reader of a kept campaign needs it.
   */
  async campaignEffects(campaignId: string): Promise<OutboxRecord[]> {
    if (!isStorableText(campaignId)) return [];
    const rows = await this.#read(() =>
      this.#db
        .selectFrom('outbox')
        .select(['id', 'instance_id', 'effect', 'created_at'])
        .where('instance_id', 'in', (sub) => sub.selectFrom('instances').select('id').where('campaign_id', '=', campaignId))
        .orderBy('created_at')
        .orderBy('seq')
        .execute(),
    );
    return rows.map(outboxFromRow);
  }

  /** Marks effects delivered at `at`; an effect already delivered keeps its first delivery time. */
  async markDelivered(ids: readonly string[], at: number): Promise<void> {
    // No stored effect id holds a NUL (see storable-text.ts), and PostgreSQL would refuse the statement.
    const storable = ids.filter(isStorableText);
    if (storable.length === 0) return;
    await this.#inTransaction(async (connection) => {
      for (const run of chunks(storable)) {
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
