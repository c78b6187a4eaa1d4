export {
  createKyselyStore,
  DATABASE_URL_VARIABLE,
  storeFromUrl,
  type KyselyDialectStoreConfig,
  type KyselySqliteStoreConfig,
  type KyselyStoreConfig,
  type KyselyUrlStoreConfig,
} from './create-kysely-store.js';
export { parseDatabaseUrl, type DatabaseLocation } from './database-url.js';
export type { KyselyStore } from './kysely-store.js';
export { migrateToLatest, migrationProvider, pendingMigrations, unknownMigrations } from './migrations.js';
export type {
  CampaignsTable,
  Database,
  DefinitionsTable,
  HistoryTable,
  InstancesTable,
  MillisColumn,
  OutboxTable,
  TimersTable,
} from './schema.js';
export { CachedSqliteDatabase, type StatementCacheStats } from './sqlite/cached-sqlite-database.js';
export { openSqliteDatabase, QUICK_CHECK_UP_TO_BYTES, type SqliteDatabaseOptions } from './sqlite/open-sqlite-database.js';
export { openPostgresPool, type PostgresPoolOptions } from './postgres/open-postgres-pool.js';
export { isPostgresUnavailable, type UnavailableRetryPolicy } from './database-faults.js';
