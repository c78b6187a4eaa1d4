import {
  EngineError,
  StoreConflictError,
  timerCampaign,
  type CampaignRecord,
  type DefinitionRecord,
  type HistoryRecord,
  type InstanceRecord,
  type OutboxRecord,
  type StoreTransaction,
  type TimerRecord,
} from '@luoshi/engine';
import type { Kysely } from 'kysely';
import { asStoreConflict } from './retryable-error.js';
import { campaignFromRow, definitionFromRow, historyFromRow, instanceFromRow, instanceToRow } from './records.js';
import type { Database } from './schema.js';
import { isStorableText, requireStorableText } from './storable-text.js';
import type { StoreQueries } from './store-queries.js';

/** Rows per multi-row statement, well under SQLite's and PostgreSQL's bound-parameter limits. */
export const ROWS_PER_STATEMENT = 200;

/** Splits `items` into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

function duplicate(kind: string, id: string): EngineError {
  return new EngineError('STORE_DUPLICATE', { kind, id });
}

/**
 * The `StoreTransaction` of the Kysely store, over one connection inside `begin` … `commit`. Inserts
 * use `on conflict do nothing` and read the row count: a duplicate raises no driver error, which on
 * PostgreSQL would abort the whole transaction, so a caller may catch STORE_DUPLICATE and go on.
 * The per-event statements are the store's `StoreQueries`, compiled once.
 */
export class KyselyStoreTransaction implements StoreTransaction {
  readonly #db: Kysely<Database>;
  readonly #queries: StoreQueries;
  #open = true;

  constructor(db: Kysely<Database>, queries: StoreQueries) {
    this.#db = db;
    this.#queries = queries;
  }

  /** Makes every later call throw: the transaction has committed or rolled back. */
  close(): void {
    this.#open = false;
  }

  #use(): Kysely<Database> {
    if (!this.#open) throw new Error('This store transaction has already finished');
    return this.#db;
  }

  /**
   * Runs a write about one instance; a deadlock or serialization failure (PostgreSQL aborted the
   * statement because another transaction holds what it waits for) becomes `StoreConflictError`,
   * which the engine retries like a revision conflict.
   */
  async #write<T>(instanceId: string, expectedRevision: number, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw asStoreConflict(error, instanceId, expectedRevision);
    }
  }

  async getDefinition(processId: string, version?: number): Promise<DefinitionRecord | undefined> {
    // An id no row can have (a NUL in it): not found, as on every store, without asking the database.
    if (!isStorableText(processId)) return undefined;
    const query = this.#use().selectFrom('definitions').selectAll().where('process_id', '=', processId);
    const row = await (version === undefined
      ? query.orderBy('version', 'desc').limit(1)
      : query.where('version', '=', version)
    ).executeTakeFirst();
    return row === undefined ? undefined : definitionFromRow(row);
  }

  async insertDefinition(record: DefinitionRecord): Promise<void> {
    requireStorableText('processId', record.processId);
    requireStorableText('hash', record.hash);
    const result = await this.#use()
      .insertInto('definitions')
      .values({
        process_id: record.processId,
        version: record.version,
        hash: record.hash,
        body: record.body,
        deployed_at: record.deployedAt,
      })
      .onConflict((conflict) => conflict.columns(['process_id', 'version']).doNothing())
      .executeTakeFirst();
    if (result.numInsertedOrUpdatedRows === 0n) throw duplicate('definition', `${record.processId}@${record.version}`);
  }

  async getCampaign(id: string): Promise<CampaignRecord | undefined> {
    if (!isStorableText(id)) return undefined;
    const row = await this.#use().selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : campaignFromRow(row);
  }

  async insertCampaign(record: CampaignRecord): Promise<void> {
    requireStorableText('campaignId', record.id);
    requireStorableText('processId', record.processId);
    const result = await this.#use()
      .insertInto('campaigns')
      .values({
        id: record.id,
        process_id: record.processId,
        version: record.version,
        year: record.year,
        organisation: record.organisation,
        started_at: record.startedAt,
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    if (result.numInsertedOrUpdatedRows === 0n) throw duplicate('campaign', record.id);
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    if (!isStorableText(id)) return undefined;
    const { rows } = await this.#queries.getInstance.execute(this.#use(), [id]);
    const row = rows[0];
    return row === undefined ? undefined : instanceFromRow(row);
  }

  async listInstances(campaignId: string): Promise<InstanceRecord[]> {
    if (!isStorableText(campaignId)) return [];
    const rows = await this.#use()
      .selectFrom('instances')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('unit_path')
      .orderBy('id')
      .execute();
    return rows.map(instanceFromRow);
  }

  async insertInstance(record: InstanceRecord): Promise<void> {
    requireStorableText('instanceId', record.id);
    requireStorableText('campaignId', record.campaignId);
    requireStorableText('unitId', record.unitId);
    requireStorableText('unitPath', record.unitPath);
    requireStorableText('phase', record.phase);
    const result = await this.#use()
      .insertInto('instances')
      .values(instanceToRow(record))
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    if (result.numInsertedOrUpdatedRows === 0n) throw duplicate('instance', record.id);
  }

  /** Writes only the columns an event changes; the identity columns and their index stay untouched. */
  async updateInstance(record: InstanceRecord, expectedRevision: number): Promise<void> {
    requireStorableText('phase', record.phase);
    const db = this.#use();
    const { numAffectedRows } = await this.#write(record.id, expectedRevision, () => this.#queries.updateInstance.execute(db, [
      record.phase,
      record.overdue,
      record.escalated,
      record.ended ? 1 : 0,
      JSON.stringify(record.snapshot),
      record.revision,
      record.id,
      expectedRevision,
    ]));
    if (numAffectedRows === 0n) throw new StoreConflictError(record.id, expectedRevision);
  }

  async appendHistory(record: HistoryRecord): Promise<void> {
    requireStorableText('instanceId', record.instanceId);
    requireStorableText('eventType', record.type);
    requireStorableText('actor', record.actor);
    requireStorableText('cause', record.cause);
    requireStorableText('idempotencyKey', record.idempotencyKey);
    const db = this.#use();
    const { numAffectedRows } = await this.#write(record.instanceId, record.revision - 1, () => this.#queries.insertHistory.execute(db, [
      record.instanceId,
      record.revision,
      record.type,
      record.event,
      record.actor,
      record.cause,
      record.at,
      record.state,
      record.idempotencyKey,
    ]));
    if (numAffectedRows !== 0n) return;
    const taken = await this.#queries.historyRevision.execute(db, [record.instanceId, record.revision]);
    if (taken.rows.length > 0 || record.idempotencyKey === null) {
      throw duplicate('history entry', `${record.instanceId}#${record.revision}`);
    }
    throw duplicate('idempotency key', record.idempotencyKey);
  }

  async hasIdempotencyKey(instanceId: string, key: string): Promise<boolean> {
    if (!isStorableText(instanceId) || !isStorableText(key)) return false;
    const { rows } = await this.#queries.idempotencyKey.execute(this.#use(), [instanceId, key]);
    return rows.length > 0;
  }

  async idempotentEntry(instanceId: string, key: string): Promise<HistoryRecord | undefined> {
    if (!isStorableText(instanceId) || !isStorableText(key)) return undefined;
    const { rows } = await this.#queries.idempotentEntry.execute(this.#use(), [instanceId, key]);
    const row = rows[0];
    return row === undefined ? undefined : historyFromRow(row);
  }

  async instanceTime(instanceId: string): Promise<number | undefined> {
    if (!isStorableText(instanceId)) return undefined;
    const { rows } = await this.#queries.instanceTime.execute(this.#use(), [instanceId]);
    const at = rows[0]?.at;
    // PostgreSQL's driver returns a bigint as text.
    return at === undefined || at === null ? undefined : Number(at);
  }

  /**
   * Diffs against the stored set (one read), then deletes what is gone and upserts what is new or
   * moved: an unchanged set writes nothing.
   */
  replaceTimers(instanceId: string, timers: readonly TimerRecord[]): Promise<void> {
    return this.#write(instanceId, -1, () => {
      requireStorableText('instanceId', instanceId);
      for (const timer of timers) requireStorableText('timerKey', timer.key);
      return this.#replaceTimers(instanceId, timers);
    });
  }

  async #replaceTimers(instanceId: string, timers: readonly TimerRecord[]): Promise<void> {
    const db = this.#use();
    const wanted = new Map<string, number>();
    for (const timer of timers) wanted.set(timer.key, timer.dueAt);
    const current = new Map<string, number>();
    const { rows } = await this.#queries.timersOf.execute(db, [instanceId]);
    for (const row of rows) current.set(row.key, Number(row.due_at));
    const gone: string[] = [];
    for (const key of current.keys()) if (!wanted.has(key)) gone.push(key);
    const changed: (string | number)[] = [];
    for (const [key, dueAt] of wanted) if (current.get(key) !== dueAt) changed.push(key, dueAt);
    for (const keys of chunks(gone)) {
      await this.#queries.deleteTimers.of(keys.length).execute(db, [instanceId, ...keys]);
    }
    for (const pairs of chunks(changed, 2 * ROWS_PER_STATEMENT)) {
      await this.#queries.upsertTimers.of(pairs.length / 2).execute(db, [instanceId, ...pairs]);
    }
  }

  patchTimers(instanceId: string, put: readonly TimerRecord[], remove: readonly string[]): Promise<void> {
    if (put.length === 0 && remove.length === 0) return Promise.resolve();
    return this.#write(instanceId, -1, async () => {
      requireStorableText('instanceId', instanceId);
      for (const timer of put) requireStorableText('timerKey', timer.key);
      const db = this.#use();
      for (const keys of chunks(remove)) await this.#queries.deleteTimers.of(keys.length).execute(db, [instanceId, ...keys]);
      const pairs = put.flatMap((t) => [t.key, t.dueAt]);
      for (const chunk of chunks(pairs, 2 * ROWS_PER_STATEMENT)) {
        await this.#queries.upsertTimers.of(chunk.length / 2).execute(db, [instanceId, ...chunk]);
      }
    });
  }

  /**
   * One statement (`StoreQueries.claimInstanceTimer` / `claimCampaignTimer`): deletes the timer when
   * it is still there with this due time, no related timer sorts before it, and (PostgreSQL) no other
   * transaction holds it (`for update skip locked`: never waits).
   */
  async claimTimer(timer: TimerRecord): Promise<boolean> {
    if (!isStorableText(timer.instanceId) || !isStorableText(timer.key)) return false;
    const db = this.#use();
    const campaignId = timerCampaign(timer.instanceId);
    const { numAffectedRows } = await this.#write(timer.instanceId, -1, () => {
      // A unit instance's timer (its campaign id is shorter), or a campaign-wide one (a ranking).
      if (campaignId !== timer.instanceId) return this.#queries.claimInstanceTimer.execute(db, [timer.instanceId, timer.key, timer.dueAt, campaignId]);
      const prefix = `${timer.instanceId}/`;
      // substr counts characters (code points) in both databases.
      return this.#queries.claimCampaignTimer.execute(db, [timer.instanceId, timer.key, timer.dueAt, prefix, [...prefix].length]);
    });
    return numAffectedRows === 1n;
  }

  /**
   * Inserts the effects; the database numbers them in insertion order (`outbox.seq`). A duplicate id
   * deletes the rows this call inserted and throws, so the call is atomic.
   */
  addOutbox(records: readonly OutboxRecord[]): Promise<void> {
    return this.#write(records[0]?.instanceId ?? '*', -1, () => {
      for (const record of records) {
        requireStorableText('effectId', record.id);
        requireStorableText('instanceId', record.instanceId);
      }
      return this.#addOutbox(records);
    });
  }

  async #addOutbox(records: readonly OutboxRecord[]): Promise<void> {
    const db = this.#use();
    const ids = new Set<string>();
    for (const record of records) {
      if (ids.has(record.id)) throw duplicate('outbox entry', record.id);
      ids.add(record.id);
    }
    const added: string[] = [];
    for (const batch of chunks(records)) {
      const values: (string | number)[] = [];
      for (const record of batch) values.push(record.id, record.instanceId, record.effect, record.createdAt);
      const { rows } = await this.#queries.insertOutbox.of(batch.length).execute(db, values);
      for (const row of rows) added.push(row.id);
      if (rows.length === batch.length) continue;
      const insertedIds = new Set(rows.map((row) => row.id));
      const clash = batch.find((record) => !insertedIds.has(record.id)) as OutboxRecord;
      for (const run of chunks(added)) await db.deleteFrom('outbox').where('id', 'in', run).execute();
      throw duplicate('outbox entry', clash.id);
    }
  }
}
