/*
 * The benchmarks' throwaway PostgreSQL is the tests' (test/support/postgres-server.ts), started with
 * PostgreSQL's durable defaults unless given settings: the benchmark measures a real server's commit.
 */
import { startThrowawayPostgres as start, type ThrowawayPostgres } from '../../test/support/postgres-server.js';

export type { ThrowawayPostgres };

/** Starts a throwaway server with `settings` (extra `-c` options; none: fsync and synchronous_commit on). */
export function startThrowawayPostgres(settings = ''): Promise<ThrowawayPostgres> {
  return start({ settings, directoryPrefix: 'luoshi-bench-pg-' });
}
