import pg from 'pg';
// The declared return type is a named import: a default import of `pg` in the shipped .d.ts needs esModuleInterop in the consumer.
import type { Pool } from 'pg';

/** Options of `openPostgresPool`. */
export interface PostgresPoolOptions {
  /** Most connections the pool opens (10 unless given); each running transaction holds one. */
  readonly maxConnections?: number;
  /** How long a call waits for a connection (a new one, or a free one of the pool), in ms (10,000 unless given). */
  readonly connectTimeoutMs?: number;
  /** Every transaction read-only (`default_transaction_read_only = on` for each connection): the server refuses any write. */
  readonly readOnly?: boolean;
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
 * store: int8 read as numbers, a bounded wait for a connection, TCP keep-alive, and `error`
 * listeners on the pool and on every client. A server that drops a connection (a restart, a crash,
 * `pg_terminate_backend`) makes pg emit `error` on its client; the pool listens only while the
 * client is idle, and an `error` event nobody listens to ends the process, so each client gets
 * a listener of its own for the time it is checked out: the query under way fails instead (the
 * store reports it as STORE_UNAVAILABLE), and the pool discards the broken client when it comes back.
 */
export function openPostgresPool(connectionString: string, options: PostgresPoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    keepAlive: true,
    types,
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  pool.on('error', () => {
    // The pool has already discarded the broken idle client; the next query opens a new one.
  });
  pool.on('connect', (client) => {
    client.on('error', () => {
      // The query in flight, if any, rejects with this error; the pool sees the client is not
      // queryable when it is released and discards it.
    });
  });
  return pool;
}
