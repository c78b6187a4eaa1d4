import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EngineError } from '@luoshi/engine';
import BetterSqlite3 from 'better-sqlite3';
import { sqliteError } from '../database-faults.js';
import { CachedSqliteDatabase } from './cached-sqlite-database.js';

/** Options of `openSqliteDatabase`. */
export interface SqliteDatabaseOptions {
  /** How many prepared statements to keep (256 unless given). */
  readonly statementCacheSize?: number;
  /** How long a writer waits for another connection's write lock before SQLITE_BUSY, in ms (5000 unless given). */
  readonly busyTimeout?: number;
  /**
   * Files up to this size, in bytes, are checked with `PRAGMA quick_check` when opened (1 GiB unless
   * given; 0 checks none). Measured here from the page cache: 0.25–0.45 s for 100 MB.
   */
  readonly quickCheckUpToBytes?: number;
  /**
   * 只读 — open an existing file for reading only (SQLite's read-only mode): nothing is set that
   * would write, and any write fails. For reading a live campaign without touching it.
   */
  readonly readOnly?: boolean;
}

/** The size up to which a file is checked when opened: 1 GiB, a few seconds of `quick_check` here. */
export const QUICK_CHECK_UP_TO_BYTES = 1024 * 1024 * 1024;

/**
 * Opens (creating if needed) a SQLite database file, or `:memory:`, tuned for the store:
 * write-ahead logging so readers never wait for the writer, `synchronous = NORMAL` (durable across
 * process crashes; a power loss may drop the last commits, never corrupt), a busy timeout, and
 * foreign keys enforced. Returns it wrapped in a prepared-statement cache, ready for `SqliteDialect`.
 *
 * Before anything is written it refuses a file it could only read (STORE_READ_ONLY: every command
 * writes, if only to fire due timers or migrate) and, up to `quickCheckUpToBytes`, a damaged one
 * (STORE_CORRUPT, from `PRAGMA quick_check`): a damaged file written on is damaged further, and its
 * undamaged pages would keep answering while others fail later with a raw driver error. Larger
 * files are refused at the first damage a statement meets (the store's error translation).
 */
export function openSqliteDatabase(file: string, options: SqliteDatabaseOptions = {}): CachedSqliteDatabase {
  const onDisk = file !== '' && file !== ':memory:';
  const readOnly = options.readOnly === true;
  if (onDisk && !readOnly) refuseReadOnlyFile(file);
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(file, readOnly ? { readonly: true, fileMustExist: true } : {});
  } catch (error) {
    throw sqliteError(error, file);
  }
  if (readOnly) {
    try {
      database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeout ?? 5000)}`);
      if (onDisk) quickCheck(database, file, options.quickCheckUpToBytes ?? QUICK_CHECK_UP_TO_BYTES);
    } catch (error) {
      database.close();
      throw sqliteError(error, file);
    }
    return new CachedSqliteDatabase(database, options.statementCacheSize);
  }
  try {
    // SQLite opens a file it may not write read-only without a word; every command writes to it.
    if (database.readonly) throw new EngineError('STORE_READ_ONLY', { database: file });
    database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeout ?? 5000)}`);
    if (onDisk) quickCheck(database, file, options.quickCheckUpToBytes ?? QUICK_CHECK_UP_TO_BYTES);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw sqliteError(error, file);
  }
  return new CachedSqliteDatabase(database, options.statementCacheSize);
}

/**
 * STORE_READ_ONLY for an existing file this process may not write, or whose folder it may not
 * write while the write-ahead log's files are missing (SQLite must create them beside it), instead
 * of SQLite's "unable to open database file" or "attempt to write a readonly database" later.
 */
function refuseReadOnlyFile(file: string): void {
  if (!existsSync(file)) return;
  const writable = (path: string): boolean => {
    try {
      accessSync(path, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  const absolute = resolve(file);
  const logFilesMissing = !existsSync(`${absolute}-wal`) || !existsSync(`${absolute}-shm`);
  if (!writable(absolute) || (logFilesMissing && !writable(dirname(absolute)))) {
    throw new EngineError('STORE_READ_ONLY', { database: file });
  }
}

/** Throws STORE_CORRUPT when `PRAGMA quick_check` finds the file damaged (files over `upToBytes` are not checked). */
function quickCheck(database: BetterSqlite3.Database, file: string, upToBytes: number): void {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return;
  }
  if (size > upToBytes) return;
  // One problem is enough to refuse the file; SQLite still reads every page when there is none.
  const verdict: unknown = database.pragma('quick_check(1)', { simple: true });
  if (verdict !== 'ok') throw new EngineError('STORE_CORRUPT', { database: file, detail: String(verdict) });
}
