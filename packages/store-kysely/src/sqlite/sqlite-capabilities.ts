import type { StoreCapabilities } from '../store-capabilities.js';

/**
 * SQLite: `begin immediate` takes the write lock when the transaction starts. With a plain
 * (deferred) `begin`, two connections that both read and then write deadlock on the lock upgrade
 * and one fails with SQLITE_BUSY at once; with `immediate`, the second waits (`busy_timeout`).
 * The outbox order is the rowid (`seq integer primary key`). SQLite has no row locks (nor `for
 * update`): `claimDueTimers` is atomic because its transaction holds the write lock.
 */
export const sqliteCapabilities: StoreCapabilities = {
  begin: 'begin immediate',
  migrateInStoreTransaction: true,
  outboxSequence: 'rowid',
  claimSkipsLocked: false,
};
