import { PostgresIntrospector, SqliteIntrospector, type Kysely } from 'kysely';
import { postgresCapabilities } from './postgres/postgres-capabilities.js';
import { sqliteCapabilities } from './sqlite/sqlite-capabilities.js';

/**
 * What differs between databases, as flags whose defaults suit PostgreSQL; each database folder
 * (`sqlite/`, `postgres/`) overrides only what it must.
 */
export interface StoreCapabilities {
  /** The statement that opens a store transaction. */
  readonly begin: string;
  /**
   * Whether migrations run inside a transaction the store opens with `begin` (Kysely's own
   * migration lock is a no-op on SQLite, so two processes migrating at once would race).
   */
  readonly migrateInStoreTransaction: boolean;
  /**
   * How `outbox.seq`, the insertion order, is generated: an identity column (PostgreSQL's
   * `generated always as identity`), or SQLite's rowid (`seq integer primary key`, which the table
   * stores anyway, so the order costs no extra index).
   */
  readonly outboxSequence: 'identity' | 'rowid';
  /**
   * Whether `claimDueTimers` locks the timers it picks with `for update skip locked`, so concurrent
   * claimers take disjoint batches without waiting for each other (PostgreSQL); without it the
   * transaction's own write lock (SQLite's `begin immediate`) makes claimers take turns.
   */
  readonly claimSkipsLocked: boolean;
}

/** The defaults, PostgreSQL's: plain `begin` (read committed), Kysely's own migration locking, an identity column. */
export const defaultCapabilities: StoreCapabilities = postgresCapabilities;

/** The capabilities of the database behind `db`, recognised by its dialect's introspector. */
export function capabilitiesOf<DB>(db: Kysely<DB>): StoreCapabilities {
  if (db.introspection instanceof SqliteIntrospector) return sqliteCapabilities;
  if (db.introspection instanceof PostgresIntrospector) return postgresCapabilities;
  return defaultCapabilities;
}
