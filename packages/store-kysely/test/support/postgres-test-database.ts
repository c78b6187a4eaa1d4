import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/*
 * Databases on the test PostgreSQL server that `test/support/postgres-global-setup.ts` provides:
 * one per suite (CREATE DATABASE with C collation, so ordering matches SQLite's byte order), reset
 * before each store the suite opens, dropped at the end. Suites and files never share a database,
 * so they may run in parallel.
 */

/** The server's superuser URL, from the global setup. */
export function postgresServerUrl(): string {
  const url = inject('luoshiPostgresUrl' as never) as string | undefined;
  if (url === undefined || url === '') throw new Error('No PostgreSQL server: run the tests through test/vitest.config.ts (its global setup starts one)');
  return url;
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of its own on the test server, created on first use. */
export class PostgresTestDatabase {
  readonly name: string;
  #url: string | undefined;

  constructor(label: string) {
    const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30);
    this.name = `luoshi_${safe}_${process.pid}_${randomBytes(4).toString('hex')}`;
  }

  /** The database's URL, creating the database the first time. */
  async url(): Promise<string> {
    if (this.#url !== undefined) return this.#url;
    const server = postgresServerUrl();
    await onServer(server, (client) =>
      client.query(`create database "${this.name}" template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`),
    );
    this.#url = withDatabase(server, this.name);
    return this.#url;
  }

  /** Empties the database (drops and recreates its `public` schema) and returns its URL. */
  async fresh(): Promise<string> {
    const url = await this.url();
    await onServer(url, (client) => client.query('drop schema public cascade; create schema public'));
    return url;
  }

  /** Drops the database, closing whatever connections a failed test left open. */
  async drop(): Promise<void> {
    if (this.#url === undefined) return;
    this.#url = undefined;
    await onServer(postgresServerUrl(), (client) => client.query(`drop database if exists "${this.name}" with (force)`));
  }
}
