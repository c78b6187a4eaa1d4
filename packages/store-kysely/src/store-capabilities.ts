import { SqliteIntrospector, type Kysely } from 'kysely';
import { sqliteCapabilities } from './sqlite/sqlite-capabilities.js';

/**
 * What differs between databases, as flags whose defaults suit PostgreSQL; each database folder
 * (`sqlite/`, later `postgres/`) overrides only what it must.
 */
export interface StoreCapabilities {
  /** The statement that opens a store transaction. */
  readonly begin: string;
  /**
   * Whether migrations run inside a transaction the store opens with `begin` (Kysely's own
   * migration lock is a no-op on SQLite, so two processes migrating at once would race).
   */
  readonly migrateInStoreTransaction: boolean;
}

/** The defaults: plain `begin` (read committed on PostgreSQL) and Kysely's own migration locking. */
export const defaultCapabilities: StoreCapabilities = {
  begin: 'begin',
  migrateInStoreTransaction: false,
};

/** The capabilities of the database behind `db`, recognised by its dialect's introspector. */
export function capabilitiesOf<DB>(db: Kysely<DB>): StoreCapabilities {
  return db.introspection instanceof SqliteIntrospector ? sqliteCapabilities : defaultCapabilities;
}
