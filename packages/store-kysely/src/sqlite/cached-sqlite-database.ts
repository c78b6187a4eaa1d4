// Named type imports: a default import in the shipped .d.ts needs esModuleInterop in the consumer.
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How often the cache answered from a prepared statement, and how many it holds. */
export interface StatementCacheStats {
  readonly size: number;
  readonly hits: number;
  readonly misses: number;
}

/**
 * The `SqliteDatabase` that Kysely's `SqliteDialect` drives, over a better-sqlite3 database, keeping
 * one prepared statement per SQL text. Kysely calls `prepare` for every query, and compiling the
 * same SQL again costs more than running it; the cache is a bounded LRU because queries with a
 * variable number of values (`in (...)`, multi-row inserts) each have their own text.
 */
export class CachedSqliteDatabase implements SqliteDatabase {
  readonly #database: Database;
  readonly #capacity: number;
  readonly #statements = new Map<string, Statement>();
  #hits = 0;
  #misses = 0;

  constructor(database: Database, capacity = 256) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`Statement cache capacity must be a positive integer, not ${capacity}`);
    this.#database = database;
    this.#capacity = capacity;
  }

  /** The better-sqlite3 database underneath, for pragmas, backups and other SQLite-only work. */
  get database(): Database {
    return this.#database;
  }

  /** The file name the database was opened with (`:memory:` for a private in-memory database). */
  get name(): string {
    return this.#database.name;
  }

  get stats(): StatementCacheStats {
    return { size: this.#statements.size, hits: this.#hits, misses: this.#misses };
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.#statements.get(sql);
    // A statement still iterating (a streamed query) cannot run again until it finishes.
    if (cached !== undefined && !cached.busy) {
      this.#hits++;
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    this.#misses++;
    const statement = this.#database.prepare(sql);
    if (cached === undefined) {
      this.#statements.set(sql, statement);
      if (this.#statements.size > this.#capacity) {
        const oldest = this.#statements.keys().next().value as string;
        this.#statements.delete(oldest);
      }
    }
    return statement;
  }

  /** Drops the cached statements and closes the database; closing twice does nothing. */
  close(): void {
    this.#statements.clear();
    if (this.#database.open) this.#database.close();
  }
}
