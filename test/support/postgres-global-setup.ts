import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres } from './postgres-server.js';

/*
 * Vitest global setup: gives the tests a PostgreSQL server. With `LUOSHI_TEST_PG_URL` set, that
 * server is used as it is (the tests create and drop their own databases on it). Otherwise a
 * throwaway PostgreSQL (postgres-server.ts) is started for the run and stopped and deleted in
 * teardown. Missing binaries fail the run with the command that installs them: the PostgreSQL tests
 * are part of `npm test`, never skipped.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the test PostgreSQL server's `postgres` database. */
    luoshiPostgresUrl: string;
  }
}

/** The data is thrown away: durability off for speed, and room for suites running in parallel. */
const TEST_SERVER_SETTINGS = '-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200';

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env['LUOSHI_TEST_PG_URL'];
  if (given !== undefined && given !== '') {
    project.provide('luoshiPostgresUrl', given);
    return undefined;
  }
  const server = await startThrowawayPostgres({ settings: TEST_SERVER_SETTINGS, directoryPrefix: 'luoshi-pg-' });
  project.provide('luoshiPostgresUrl', server.url);
  return () => server.stop();
}
