import {
  EngineError,
  StoreConflictError,
  type CampaignRecord,
  type DefinitionRecord,
  type HistoryRecord,
  type InstanceRecord,
  type OutboxRecord,
  type StoreTransaction,
  type TimerRecord,
} from '@luoshi/engine';
import { sql, type Kysely } from 'kysely';
import { campaignFromRow, definitionFromRow, instanceFromRow, instanceToRow } from './records.js';
import type { Database } from './schema.js';

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
 */
export class KyselyStoreTransaction implements StoreTransaction {
  readonly #db: Kysely<Database>;
  #open = true;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Makes every later call throw: the transaction has committed or rolled back. */
  close(): void {
    this.#open = false;
  }

  #use(): Kysely<Database> {
    if (!this.#open) throw new Error('This store transaction has already finished');
    return this.#db;
  }

  async getDefinition(processId: string, version?: number): Promise<DefinitionRecord | undefined> {
    const query = this.#use().selectFrom('definitions').selectAll().where('process_id', '=', processId);
    const row = await (version === undefined
      ? query.orderBy('version', 'desc').limit(1)
      : query.where('version', '=', version)
    ).executeTakeFirst();
    return row === undefined ? undefined : definitionFromRow(row);
  }

  async insertDefinition(record: DefinitionRecord): Promise<void> {
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
    const row = await this.#use().selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : campaignFromRow(row);
  }

  async insertCampaign(record: CampaignRecord): Promise<void> {
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
    const row = await this.#use().selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : instanceFromRow(row);
  }

  async listInstances(campaignId: string): Promise<InstanceRecord[]> {
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
    const result = await this.#use()
      .insertInto('instances')
      .values(instanceToRow(record))
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    if (result.numInsertedOrUpdatedRows === 0n) throw duplicate('instance', record.id);
  }

  async updateInstance(record: InstanceRecord, expectedRevision: number): Promise<void> {
    const { id, ...columns } = instanceToRow(record);
    const result = await this.#use()
      .updateTable('instances')
      .set(columns)
      .where('id', '=', id)
      .where('revision', '=', expectedRevision)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new StoreConflictError(record.id, expectedRevision);
  }

  async appendHistory(record: HistoryRecord): Promise<void> {
    const db = this.#use();
    const result = await db
      .insertInto('history')
      .values({
        instance_id: record.instanceId,
        revision: record.revision,
        type: record.type,
        event: record.event,
        actor: record.actor,
        cause: record.cause,
        at: record.at,
        state: record.state,
        idempotency_key: record.idempotencyKey,
      })
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    if (result.numInsertedOrUpdatedRows !== 0n) return;
    const taken = await db
      .selectFrom('history')
      .select('revision')
      .where('instance_id', '=', record.instanceId)
      .where('revision', '=', record.revision)
      .executeTakeFirst();
    if (taken !== undefined || record.idempotencyKey === null) {
      throw duplicate('history entry', `${record.instanceId}#${record.revision}`);
    }
    throw duplicate('idempotency key', record.idempotencyKey);
  }

  async hasIdempotencyKey(instanceId: string, key: string): Promise<boolean> {
    const row = await this.#use()
      .selectFrom('history')
      .select('revision')
      .where('instance_id', '=', instanceId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Diffs against the stored set (one read), then deletes what is gone and upserts what is new or
   * moved: an event that leaves the timers alone, the common case, writes nothing.
   */
  async replaceTimers(instanceId: string, timers: readonly TimerRecord[]): Promise<void> {
    const db = this.#use();
    const wanted = new Map<string, number>();
    for (const timer of timers) wanted.set(timer.key, timer.dueAt);
    const stored = await db.selectFrom('timers').select(['key', 'due_at']).where('instance_id', '=', instanceId).execute();
    const current = new Map(stored.map((row) => [row.key, Number(row.due_at)]));
    const gone = [...current.keys()].filter((key) => !wanted.has(key));
    const changed = [...wanted].filter(([key, dueAt]) => current.get(key) !== dueAt);
    for (const keys of chunks(gone)) {
      await db.deleteFrom('timers').where('instance_id', '=', instanceId).where('key', 'in', keys).execute();
    }
    for (const rows of chunks(changed)) {
      await db
        .insertInto('timers')
        .values(rows.map(([key, dueAt]) => ({ instance_id: instanceId, key, due_at: dueAt })))
        .onConflict((conflict) =>
          conflict.columns(['instance_id', 'key']).doUpdateSet((update) => ({ due_at: update.ref('excluded.due_at') })),
        )
        .execute();
    }
  }

  async claimTimer(timer: TimerRecord): Promise<boolean> {
    const result = await this.#use()
      .deleteFrom('timers')
      .where('instance_id', '=', timer.instanceId)
      .where('key', '=', timer.key)
      .where('due_at', '=', timer.dueAt)
      .executeTakeFirst();
    return result.numDeletedRows === 1n;
  }

  /**
   * Inserts the effects with `seq` one past the largest so far (a sub-select per row, valid in both
   * databases). A duplicate id deletes the rows this call inserted and throws, so the call is atomic.
   */
  async addOutbox(records: readonly OutboxRecord[]): Promise<void> {
    const db = this.#use();
    const ids = new Set<string>();
    for (const record of records) {
      if (ids.has(record.id)) throw duplicate('outbox entry', record.id);
      ids.add(record.id);
    }
    const added: string[] = [];
    for (const batch of chunks(records)) {
      const inserted = await db
        .insertInto('outbox')
        .values(
          batch.map((record, index) => ({
            id: record.id,
            instance_id: record.instanceId,
            effect: record.effect,
            created_at: record.createdAt,
            delivered_at: null,
            seq: sql<number>`(select coalesce(max(seq), 0) + ${index + 1} from outbox)`,
          })),
        )
        .onConflict((conflict) => conflict.column('id').doNothing())
        .returning('id')
        .execute();
      added.push(...inserted.map((row) => row.id));
      if (inserted.length === batch.length) continue;
      const insertedIds = new Set(inserted.map((row) => row.id));
      const clash = batch.find((record) => !insertedIds.has(record.id)) as OutboxRecord;
      for (const run of chunks(added)) await db.deleteFrom('outbox').where('id', 'in', run).execute();
      throw duplicate('outbox entry', clash.id);
    }
  }
}
