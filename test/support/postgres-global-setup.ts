import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/*
 * Vitest global setup: gives the tests a PostgreSQL server. With `LUOSHI_TEST_PG_URL` set, that
 * server is used as it is (the tests create and drop their own databases on it). Otherwise a
 * throwaway PostgreSQL is initialised in a temporary directory, started on 127.0.0.1 and a free
 * port, and stopped and deleted in teardown. As root, initdb and the server run as the `postgres`
 * user (initdb refuses root). Missing binaries fail the run with the command that installs them:
 * the PostgreSQL tests are part of `npm test`, never skipped.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the test PostgreSQL server's `postgres` database. */
    luoshiPostgresUrl: string;
  }
}

const INSTALL_HINT =
  'The store tests run against a real PostgreSQL server. Install it (Debian/Ubuntu, as root: ' +
  '`apt-get update && apt-get install -y postgresql`), put its bin directory in LUOSHI_PG_BIN, ' +
  'or point LUOSHI_TEST_PG_URL at a server (postgres://user@host:port/postgres, a superuser or a role that may CREATE DATABASE).';

/** The directory holding `initdb` and `pg_ctl`: LUOSHI_PG_BIN, the newest /usr/lib/postgresql/<n>/bin, or the PATH. */
function findBinaries(): string {
  const candidates: string[] = [];
  const fromEnv = process.env['LUOSHI_PG_BIN'];
  if (fromEnv !== undefined && fromEnv !== '') candidates.push(fromEnv);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) candidates.push(join(debian, version, 'bin'));
  }
  const onPath = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim() !== '') candidates.push(join(onPath.stdout.trim(), '..'));
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (found === undefined) throw new Error(`PostgreSQL binaries (initdb, pg_ctl) not found. ${INSTALL_HINT}`);
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** A throwaway server: its directory, how to run its tools (as `postgres` when we are root), and its URL. */
class ThrowawayPostgres {
  readonly #bin: string;
  readonly #dir: string;
  readonly #asRoot: boolean;
  #started = false;

  constructor(bin: string) {
    this.#bin = bin;
    this.#asRoot = process.getuid?.() === 0;
    this.#dir = mkdtempSync(join(tmpdir(), 'luoshi-pg-'));
    if (this.#asRoot) {
      const postgres = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      if (postgres.status !== 0) {
        throw new Error(`Running as root, but there is no "postgres" user to run initdb as. ${INSTALL_HINT}`);
      }
      chownSync(this.#dir, Number(postgres.stdout), Number(group.stdout));
    }
    chmodSync(this.#dir, 0o700);
  }

  get #data(): string {
    return join(this.#dir, 'data');
  }

  get #log(): string {
    return join(this.#dir, 'log');
  }

  #run(tool: string, args: readonly string[]): void {
    const command = [join(this.#bin, tool), ...args].map(quote).join(' ');
    try {
      if (this.#asRoot) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: 'pipe' });
      else execFileSync('sh', ['-c', command], { stdio: 'pipe' });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      const log = existsSync(this.#log) ? readFileSync(this.#log, 'utf8').slice(-2000) : '';
      throw new Error(`${tool} failed: ${stderr}${log === '' ? '' : `\nserver log:\n${log}`}`, { cause: error });
    }
  }

  /** initdb (trust, UTF8, C collation like SQLite's byte order) and start; returns the superuser URL. */
  async start(): Promise<string> {
    this.#run('initdb', ['-D', this.#data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${this.#dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
      try {
        this.#run('pg_ctl', ['-D', this.#data, '-l', this.#log, '-o', options, '-w', '-t', '30', 'start']);
        this.#started = true;
        return `postgres://postgres@127.0.0.1:${port}/postgres`;
      } catch (error) {
        // Another process may have taken the port between the probe and the start.
        lastError = error;
      }
    }
    throw lastError;
  }

  stop(): void {
    try {
      if (this.#started) this.#run('pg_ctl', ['-D', this.#data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(this.#dir, { recursive: true, force: true });
    }
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env['LUOSHI_TEST_PG_URL'];
  if (given !== undefined && given !== '') {
    project.provide('luoshiPostgresUrl', given);
    return undefined;
  }
  const server = new ThrowawayPostgres(findBinaries());
  let url: string;
  try {
    url = await server.start();
  } catch (error) {
    server.stop();
    throw error;
  }
  project.provide('luoshiPostgresUrl', url);
  return () => server.stop();
}
