import type { ColumnType } from 'kysely';

/*
 * The tables of the Luoshi store, as Kysely sees them. Column types are chosen to mean the same in
 * SQLite and PostgreSQL: `text` for ids and JSON, `integer` for versions, revisions and counters,
 * `bigint` for millisecond timestamps, and `integer` 0/1 for booleans.
 */

/**
 * Milliseconds since the Unix epoch in a `bigint` column: SQLite returns a number, PostgreSQL's
 * driver a string (int8 does not fit every JavaScript number), so reads go through `Number()`.
 */
export type MillisColumn = ColumnType<number | string | bigint, number, number>;

/** `definitions`: one row per deployed process version; primary key (process_id, version). */
export interface DefinitionsTable {
  process_id: string;
  version: number;
  hash: string;
  body: string;
  deployed_at: MillisColumn;
}

/** `campaigns`: one row per running campaign. */
export interface CampaignsTable {
  id: string;
  process_id: string;
  version: number;
  year: number;
  organisation: string;
  started_at: MillisColumn;
}

/** `instances`: one row per unit and campaign, with its snapshot and revision; indexed by (campaign_id, unit_path). */
export interface InstancesTable {
  id: string;
  campaign_id: string;
  unit_id: string;
  unit_path: string;
  phase: string;
  overdue: number;
  escalated: number;
  /** 1 when the instance has ended, else 0 (an integer, not a boolean, so both databases read the same). */
  ended: number;
  snapshot: string;
  revision: number;
}

/** `history`: primary key (instance_id, revision), unique (instance_id, idempotency_key). */
export interface HistoryTable {
  instance_id: string;
  revision: number;
  type: string;
  event: string;
  actor: string | null;
  cause: string;
  at: MillisColumn;
  state: string;
  idempotency_key: string | null;
}

/** `timers`: primary key (instance_id, key), indexed by (due_at, instance_id, key). */
export interface TimersTable {
  instance_id: string;
  key: string;
  due_at: MillisColumn;
}

/**
 * `outbox`: effects to deliver. `seq` is assigned on insert as one more than the largest so far, so
 * effects created in the same millisecond keep their insertion order without a dialect-specific
 * auto-increment column.
 */
export interface OutboxTable {
  id: string;
  instance_id: string;
  effect: string;
  created_at: MillisColumn;
  delivered_at: ColumnType<number | string | bigint | null, number | null, number | null>;
  seq: ColumnType<number | string | bigint, number, never>;
}

/** The store's database, for `Kysely<Database>`. */
export interface Database {
  definitions: DefinitionsTable;
  campaigns: CampaignsTable;
  instances: InstancesTable;
  history: HistoryTable;
  timers: TimersTable;
  outbox: OutboxTable;
}
