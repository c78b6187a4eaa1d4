import { describe, expect, it } from 'vitest';
import { EXIT } from '../packages/cli/src/run-cli.js';
import { runLuoshi as run } from './support/run-luoshi.js';
import { postgresServerUrl } from '../packages/store-kysely/test/support/postgres-test-database.js';

/*
 * `luoshi simulate --from` and `luoshi scenario fit` against a PostgreSQL server that refuses what
 * the URL asks: a database or a role it does not have. The URL carries a password; no message the
 * commands print may repeat it. (The test server trusts every login, so a refused database and a
 * refused role stand for a refused password: the same code path prints them.)
 */

describe('given a PostgreSQL URL with a password that the server refuses', () => {
  it('when the database or the role does not exist, then both reads are CLI_DATABASE_UNAVAILABLE (exit 1) naming the server with *** for the password', async () => {
    const server = new URL(postgresServerUrl());
    const urls: string[] = [];
    for (const [user, database] of [['postgres', 'luoshi_no_such_database'], ['no_such_role', 'postgres']] as const) {
      const url = new URL(server);
      url.username = user;
      url.password = 'Sekr1t p@ss:word';
      url.pathname = `/${database}`;
      urls.push(url.toString());
    }
    for (const url of urls) {
      const outcomes = [
        await run(['simulate', '--from', url, '--campaign', 'sim', '--scenario', 'examples/scenarios/000-baseline.yaml']),
        await run(['scenario', 'fit', '--from', url, '--campaign', 'sim']),
      ];
      for (const outcome of outcomes) {
        expect(outcome.stderr, url).toMatch(/^(CLI_DATABASE_UNAVAILABLE|STORE_UNAVAILABLE) /);
        expect(outcome.stderr).toContain(':***@');
        expect(outcome.stderr).not.toMatch(/Sekr1t|p%40ss|word/);
        expect(outcome.code).toBe(EXIT.invalid);
      }
    }
  }, 60_000);
});
