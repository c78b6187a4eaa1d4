import type { StoreCapabilities } from '../store-capabilities.js';

/**
 * PostgreSQL, whose values are also the defaults: a plain `begin` (read committed) on the pool
 * connection the transaction holds; the revision check (`update … where revision = ?`) and row
 * locks keep concurrent writers apart (a second writer of a row waits for the first to commit,
 * then finds the revision moved). Kysely's migration lock, a locked row, serialises migrations.
 * `outbox.seq` is an identity column. `claimDueTimers` picks its timers `for update skip locked`.
 */
export const postgresCapabilities: StoreCapabilities = {
  begin: 'begin',
  migrateInStoreTransaction: false,
  outboxSequence: 'identity',
  claimSkipsLocked: true,
};
