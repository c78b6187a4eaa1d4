import { Kysely, PostgresDialect, PostgresIntrospector, SqliteDialect, SqliteIntrospector, type Dialect } from 'kysely';
import { AsyncLock } from './async-lock.js';
import { postgresFaults, sqliteError, sqliteFaults, type UnavailableRetryPolicy } from './database-faults.js';
import { parseDatabaseUrl } from './database-url.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import { openPostgresPool } from './postgres/open-postgres-pool.js';
import { postgresCapabilities } from './postgres/postgres-capabilities.js';
import type { Database } from './schema.js';
import { acquireFileWriteLock } from './sqlite/file-write-lock.js';
import { openSqliteDatabase } from './sqlite/open-sqlite-database.js';
import { sqliteCapabilities } from './sqlite/sqlite-capabilities.js';
import { WalCheckpointer } from './sqlite/wal-checkpointer.js';
import { capabilitiesOf } from './store-capabilities.js';

/** A store over any Kysely dialect (SQLite and PostgreSQL are the ones supported). */
export interface KyselyDialectStoreConfig {
  readonly dialect: Dialect;
  /** Run the migrations when the store is created (default true). */
  readonly migrate?: boolean;
}

/** A store over a SQLite file (or `:memory:`) that this package opens, tunes and caches statements for. */
export interface KyselySqliteStoreConfig {
  /** Path of the database file, created if missing, or `:memory:` for a private in-memory database. */
  readonly sqlite: string;
  /** How many prepared statements to keep (256 unless given). */
  readonly statementCacheSize?: number;
  /** Run the migrations when the store is created (default true). */
  readonly migrate?: boolean;
  /**
   * Who checkpoints the write-ahead log: `'background'` (the default for a file), a worker thread
   * with its own connection, so no `commit` of this store ever runs one (see `WalCheckpointer`); or
   * `'auto'`, SQLite's automatic checkpoint inside the `commit` that passes 1,000 pages. A
   * `:memory:` database has no log and always uses `'auto'`.
   */
  readonly checkpoint?: 'background' | 'auto';
  /**
   * Files up to this size, in bytes, are checked with `PRAGMA quick_check` when opened and refused
   * with STORE_CORRUPT when damaged (1 GiB unless given; 0 checks none). Damage a larger file
   * holds is reported as STORE_CORRUPT when a statement meets it.
   */
  readonly quickCheckUpToBytes?: number;
  /**
   * 只读 — read an existing file and never write it: opened read-only, no migration, no write
   * queue, no checkpoint; every write the store is asked for fails. Default false.
   */
  readonly readOnly?: boolean;
}

/** A store on the database a URL names (see `parseDatabaseUrl`): PostgreSQL or SQLite. */
export interface KyselyUrlStoreConfig {
  /** `postgres://user:password@host:port/database` (or `postgresql://`), `sqlite:path`, or a SQLite file path. */
  readonly url: string;
  /** Run the migrations when the store is created (default true). */
  readonly migrate?: boolean;
  /** PostgreSQL: most pooled connections (10 unless given); each running transaction holds one. */
  readonly maxConnections?: number;
  /**
   * PostgreSQL: how a call waits for a server out of reach before it fails with STORE_UNAVAILABLE
   * (2 s of attempts unless given; see `UnavailableRetryPolicy`).
   */
  readonly retry?: UnavailableRetryPolicy;
  /**
   * 只读 — never write: no migration, and (PostgreSQL) every transaction of the pool read-only
   * (`default_transaction_read_only`), so a write the store is asked for fails on the server. Default false.
   */
  readonly readOnly?: boolean;
}

/** Configuration of `createKyselyStore`: Kysely's own `Dialect`, the path of a SQLite database, or a database URL. */
export type KyselyStoreConfig = KyselyDialectStoreConfig | KyselySqliteStoreConfig | KyselyUrlStoreConfig;

/** The environment variable `storeFromUrl` reads when given no URL. */
export const DATABASE_URL_VARIABLE = 'LUOSHI_DATABASE_URL';

/**
 * Creates the store that `url`, or else the environment variable `LUOSHI_DATABASE_URL`, names:
 * PostgreSQL for `postgres://…`, SQLite for `sqlite:…` or a file path. Throws when neither is set.
 */
export function storeFromUrl(url?: string, options: Omit<KyselyUrlStoreConfig, 'url'> = {}): Promise<KyselyStore> {
  const chosen = url ?? process.env[DATABASE_URL_VARIABLE];
  if (chosen === undefined || chosen.trim() === '') {
    return Promise.reject(
      new Error(`No database URL: pass one, or set ${DATABASE_URL_VARIABLE} (postgres://user@host:port/database or sqlite:path/to/file.db)`),
    );
  }
  return createKyselyStore({ ...options, url: chosen });
}

/**
 * Creates a store on Kysely and brings its tables up to date. `{ url }` picks PostgreSQL
 * (`postgres://…`, a `pg.Pool` under Kysely's `PostgresDialect`) or SQLite from the URL. `{ sqlite }` opens the file with WAL,
 * `synchronous = NORMAL`, a 5 s busy timeout, foreign keys and a prepared-statement cache, shares
 * one write queue with every other store of this process on the same file, and checkpoints the
 * log from a worker thread unless `checkpoint: 'auto'`.
 */
export async function createKyselyStore(config: KyselyStoreConfig): Promise<KyselyStore> {
  if ('url' in config) {
    const location = parseDatabaseUrl(config.url);
    if (location.kind === 'sqlite') return createKyselyStore({ sqlite: location.file, migrate: config.migrate, ...(config.readOnly ? { readOnly: true } : {}) });
    return createPostgresStore(location.url, config);
  }
  if ('dialect' in config) {
    const db = new Kysely<Database>({ dialect: config.dialect });
    const capabilities = capabilitiesOf(db);
    // A caller's own pool should come from `openPostgresPool`, whose clients never crash the process on a lost connection.
    const faults = db.introspection instanceof PostgresIntrospector ? postgresFaults() : db.introspection instanceof SqliteIntrospector ? sqliteFaults('(SQLite)') : undefined;
    const store = new KyselyStore(db, { capabilities, faults });
    return migrated(store, config.migrate, (work) => work());
  }
  if (config.readOnly) return readOnlySqliteStore(config);
  const database = openSqliteDatabase(config.sqlite, {
    statementCacheSize: config.statementCacheSize,
    ...(config.quickCheckUpToBytes === undefined ? {} : { quickCheckUpToBytes: config.quickCheckUpToBytes }),
  });
  let shared;
  try {
    shared = acquireFileWriteLock(database.name);
  } catch (error) {
    database.close();
    throw error;
  }
  let checkpointer: WalCheckpointer | undefined;
  if (shared !== undefined && (config.checkpoint ?? 'background') === 'background') {
    try {
      checkpointer = new WalCheckpointer(database.database, shared.lock);
    } catch (error) {
      shared.release();
      database.close();
      throw error;
    }
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const store = new KyselyStore(db, {
    capabilities: sqliteCapabilities,
    faults: sqliteFaults(config.sqlite),
    writeLock: shared?.lock,
    afterCommit: checkpointer === undefined ? undefined : () => checkpointer.afterCommit(),
    beforeClose: async () => checkpointer?.stop(),
    onClose: () => {
      shared?.release();
      // Kysely closes the database only if it ever ran a query.
      database.close();
    },
  });
  const lock = shared?.lock ?? new AsyncLock();
  const file = config.sqlite;
  return migrated(store, config.migrate, (work) => lock.run(work), (error) => sqliteError(error, file));
}

/** A SQLite file read and never written (see `KyselySqliteStoreConfig.readOnly`): no write lock, checkpoint or migration. */
function readOnlySqliteStore(config: KyselySqliteStoreConfig): KyselyStore {
  const database = openSqliteDatabase(config.sqlite, {
    statementCacheSize: config.statementCacheSize,
    readOnly: true,
    ...(config.quickCheckUpToBytes === undefined ? {} : { quickCheckUpToBytes: config.quickCheckUpToBytes }),
  });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return new KyselyStore(db, { capabilities: sqliteCapabilities, faults: sqliteFaults(config.sqlite), onClose: () => database.close() });
}

/**
 * PostgreSQL through Kysely's `PostgresDialect` on a `pg.Pool`: each transaction holds one pooled
 * connection from `begin` to `commit`, so concurrent transactions run side by side on separate
 * connections (up to `maxConnections`, then they wait for one). No in-process queue: the
 * server's row locks and the revision check order writers.
 */
async function createPostgresStore(url: string, config: KyselyUrlStoreConfig): Promise<KyselyStore> {
  const pool = openPostgresPool(url, { maxConnections: config.maxConnections, ...(config.readOnly ? { readOnly: true } : {}) });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const store = new KyselyStore(db, { capabilities: postgresCapabilities, faults: postgresFaults(config.retry) });
  return migrated(store, config.readOnly ? false : config.migrate, (work) => work());
}

async function migrated(
  store: KyselyStore,
  migrate: boolean | undefined,
  exclusive: (work: () => Promise<void>) => Promise<void>,
  translate: (error: unknown) => unknown = (error) => error,
): Promise<KyselyStore> {
  if (migrate === false) return store;
  try {
    await exclusive(() => migrateToLatest(store.db));
  } catch (error) {
    await store.close();
    throw translate(error);
  }
  return store;
}
