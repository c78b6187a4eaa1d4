import pg from 'pg';

/** Options of `openPostgresPool`. */
export interface PostgresPoolOptions {
  /** Most connections the pool opens (10 unless given); each running transaction holds one. */
  readonly maxConnections?: number;
}

const INT8_OID = 20;

/**
 * Reads `bigint` (int8) columns as numbers instead of pg's strings, for this pool only (pg's global
 * parsers stay untouched). The store's bigints are millisecond timestamps and the outbox sequence,
 * far below 2^53; the store also reads every one through `Number()`, so `db` queries of reports and
 * the store agree.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Opens a `pg.Pool` on `connectionString` (`postgres://user:password@host:port/database`) for a
 * store: int8 read as numbers, and an `error` listener, so a server that drops an idle connection
 * (a restart, an administrator) costs that connection, not the process.
 */
export function openPostgresPool(connectionString: string, options: PostgresPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10, types });
  pool.on('error', () => {
    // The pool has already discarded the broken idle client; the next query opens a new one.
  });
  return pool;
}
