export { createKyselyStore, type KyselyDialectStoreConfig, type KyselySqliteStoreConfig, type KyselyStoreConfig } from './create-kysely-store.js';
export type { KyselyStore } from './kysely-store.js';
export { migrateToLatest, migrationProvider } from './migrations.js';
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
export { openSqliteDatabase, type SqliteDatabaseOptions } from './sqlite/open-sqlite-database.js';
