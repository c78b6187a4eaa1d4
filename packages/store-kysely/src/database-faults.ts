import { EngineError } from '@luoshi/engine';

/*
 * What a database's failures mean to the store (数据库故障): which are "the server is out of
 * reach" (worth waiting for and trying again), and how every driver failure the caller may see
 * becomes a coded error (STORE_UNAVAILABLE, STORE_INVALID_TEXT, STORE_CORRUPT, STORE_READ_ONLY)
 * instead of a driver's raw exception that HTTP would answer with a 500.
 */

/** How the store waits for a database that is out of reach. */
export interface UnavailableRetryPolicy {
  /** How long one call keeps trying, in ms, before it gives up with STORE_UNAVAILABLE (2,000 unless given). */
  readonly retryForMs?: number;
  /** The first wait between attempts, in ms (50 unless given); each wait doubles, up to `maxDelayMs`. */
  readonly firstDelayMs?: number;
  /** The longest wait between attempts, in ms (500 unless given). */
  readonly maxDelayMs?: number;
}

/** How a store's dialect reads its driver's failures. */
export interface DatabaseFaults {
  /** Whether `error` says the server could not be reached or the connection was lost. */
  isUnavailable(error: unknown): boolean;
  /** `error` as the store's coded error where the dialect knows it, else unchanged. */
  translate(error: unknown): unknown;
  readonly retry: Required<UnavailableRetryPolicy>;
}

/** The retry policy with its defaults filled in (2 s of attempts, 50 ms doubling to 500 ms between them). */
export function retryPolicy(policy: UnavailableRetryPolicy = {}): Required<UnavailableRetryPolicy> {
  const bounded = (value: number | undefined, fallback: number) =>
    value === undefined || !Number.isFinite(value) || value < 0 ? fallback : Math.min(value, 600_000);
  return {
    retryForMs: bounded(policy.retryForMs, 2_000),
    firstDelayMs: Math.max(1, bounded(policy.firstDelayMs, 50)),
    maxDelayMs: Math.max(1, bounded(policy.maxDelayMs, 500)),
  };
}

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * PostgreSQL SQLSTATEs of a server out of reach: class 08 (connection exception), 57P01
 * admin_shutdown (`pg_terminate_backend`, a fast or immediate stop), 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, recovering, shutting down), 53300 too_many_connections.
 */
const POSTGRES_UNAVAILABLE: ReadonlySet<string> = new Set(['08000', '08001', '08003', '08004', '08006', '08007', '57P01', '57P02', '57P03', '53300']);
/** Socket errors of a server that is down, restarting, or cut off. */
const SOCKET_UNAVAILABLE: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
/**
 * pg's own errors, which carry no code: the socket closed under a client ("Connection terminated
 * unexpectedly"), a client already broken ("… is not queryable"), no connection in time.
 */
const PG_UNAVAILABLE_MESSAGE = /^Connection terminated|is not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout/;
/** PostgreSQL's refusals of text it cannot hold: 22021 (a NUL byte, bad UTF-8), 22P05 (`\u0000` in JSON). */
const POSTGRES_INVALID_TEXT: ReadonlySet<string> = new Set(['22021', '22P05']);

/** Whether `error` (from pg or its socket) says the PostgreSQL server is out of reach. */
export function isPostgresUnavailable(error: unknown): boolean {
  if (error instanceof EngineError) return false;
  const code = codeOf(error);
  if (typeof code === 'string' && (POSTGRES_UNAVAILABLE.has(code) || SOCKET_UNAVAILABLE.has(code))) return true;
  return error instanceof Error && PG_UNAVAILABLE_MESSAGE.test(error.message);
}

/** The faults of a PostgreSQL store. */
export function postgresFaults(policy?: UnavailableRetryPolicy): DatabaseFaults {
  return {
    isUnavailable: isPostgresUnavailable,
    translate(error) {
      if (error instanceof EngineError) return error;
      if (isPostgresUnavailable(error)) return unavailable(error);
      const code = codeOf(error);
      if (typeof code === 'string' && POSTGRES_INVALID_TEXT.has(code)) {
        return new EngineError(
          'STORE_INVALID_TEXT',
          { field: '?', detail: messageOf(error), detailZh: '含有数据库无法保存的字符（如空字符 U+0000）' },
          { cause: error },
        );
      }
      return error;
    },
    retry: retryPolicy(policy),
  };
}

/** STORE_UNAVAILABLE for a driver's failure; `note` tells what became of the work that was under way. */
export function unavailable(error: unknown, note?: string): EngineError {
  const detail = messageOf(error) || String(codeOf(error) ?? 'no answer');
  return new EngineError('STORE_UNAVAILABLE', { detail: note === undefined ? detail : `${detail} (${note})` }, { cause: error });
}

/**
 * The faults of a SQLite store on `database` (its file name): damage (SQLITE_CORRUPT, SQLITE_NOTADB)
 * becomes STORE_CORRUPT, a write refused for the file's permissions (SQLITE_READONLY…)
 * STORE_READ_ONLY. A local file is never "out of reach", so nothing is retried here (a busy
 * database is SQLite's busy timeout's concern).
 */
export function sqliteFaults(database: string): DatabaseFaults {
  return {
    isUnavailable: () => false,
    translate: (error) => sqliteError(error, database),
    retry: retryPolicy({ retryForMs: 0 }),
  };
}

/** A better-sqlite3 error as STORE_CORRUPT or STORE_READ_ONLY where it is one, else unchanged. */
export function sqliteError(error: unknown, database: string): unknown {
  if (error instanceof EngineError) return error;
  const code = codeOf(error);
  if (typeof code !== 'string') return error;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new EngineError('STORE_CORRUPT', { database, detail: messageOf(error) }, { cause: error });
  }
  if (code.startsWith('SQLITE_READONLY')) return new EngineError('STORE_READ_ONLY', { database }, { cause: error });
  return error;
}

/** Waits `ms` milliseconds. */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
