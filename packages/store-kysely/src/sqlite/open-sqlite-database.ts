import BetterSqlite3 from 'better-sqlite3';
import { CachedSqliteDatabase } from './cached-sqlite-database.js';

/** Options of `openSqliteDatabase`. */
export interface SqliteDatabaseOptions {
  /** How many prepared statements to keep (256 unless given). */
  readonly statementCacheSize?: number;
  /** How long a writer waits for another connection's write lock before SQLITE_BUSY, in ms (5000 unless given). */
  readonly busyTimeout?: number;
}

/**
 * Opens (creating if needed) a SQLite database file, or `:memory:`, tuned for the store:
 * write-ahead logging so readers never wait for the writer, `synchronous = NORMAL` (durable across
 * process crashes; a power loss may drop the last commits, never corrupt), a busy timeout, and
 * foreign keys enforced. Returns it wrapped in a prepared-statement cache, ready for `SqliteDialect`.
 */
export function openSqliteDatabase(file: string, options: SqliteDatabaseOptions = {}): CachedSqliteDatabase {
  const database = new BetterSqlite3(file);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeout ?? 5000)}`);
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  return new CachedSqliteDatabase(database, options.statementCacheSize);
}
