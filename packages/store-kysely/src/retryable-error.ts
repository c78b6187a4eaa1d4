import { StoreConflictError } from '@luoshi/engine';

/**
 * SQLSTATEs after which the database has undone the statement (and, outside a savepoint, the
 * transaction) and running it again may succeed: `40P01` deadlock_detected (PostgreSQL picked this
 * transaction as the victim of a lock cycle) and `40001` serialization_failure (serializable or
 * repeatable-read isolation, which a server may be configured to use by default).
 */
const RETRYABLE_STATES: ReadonlySet<string> = new Set(['40P01', '40001']);

/** Whether `error` is a driver error the caller may retry by running the transaction again. */
export function isRetryableDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_STATES.has(code);
}

/**
 * `error` as the engine's `StoreConflictError` (which it retries) when the database aborted the
 * work for a deadlock or a serialization failure, naming the instance being written (or `*` for a
 * whole transaction); any other error unchanged.
 */
export function asStoreConflict(error: unknown, instanceId = '*', expectedRevision = -1): unknown {
  if (!isRetryableDatabaseError(error) || error instanceof StoreConflictError) return error;
  return new StoreConflictError(instanceId, expectedRevision, { cause: error });
}
