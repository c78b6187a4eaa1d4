import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * A throwaway PostgreSQL server: initdb (trust, UTF8, --no-locale so C collation like SQLite's byte
 * order) into a fresh temporary directory, started on 127.0.0.1 and a free port, its socket in the
 * same directory; `stop()` stops it and deletes the directory. As root, initdb and pg_ctl run as the
 * `postgres` user through su (initdb refuses root). Shared by the vitest global setup
 * (postgres-global-setup.ts) and the PostgreSQL benchmark (bench/pg.ts), which differ only in the
 * server settings they pass.
 */

/** What to do when the binaries are missing; part of every error about them. */
export const INSTALL_HINT =
  'The store tests run against a real PostgreSQL server. Install it (Debian/Ubuntu, as root: ' +
  '`apt-get update && apt-get install -y postgresql`), put its bin directory in LUOSHI_PG_BIN, ' +
  'or point LUOSHI_TEST_PG_URL at a server (postgres://user@host:port/postgres, a superuser or a role that may CREATE DATABASE).';

/** The directory holding `initdb` and `pg_ctl`: LUOSHI_PG_BIN, the newest /usr/lib/postgresql/<n>/bin, or the PATH. */
export function findPostgresBinaries(): string {
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

/** How to start a throwaway server. */
export interface ThrowawayPostgresOptions {
  /** Extra server options (`-c fsync=off …`); none leaves PostgreSQL's durable defaults. */
  readonly settings?: string;
  /** Prefix of the temporary directory's name, to tell the tests' servers from the benchmarks'. */
  readonly directoryPrefix?: string;
  /** The binaries' directory (default: `findPostgresBinaries()`). */
  readonly bin?: string;
}

/** A running throwaway server. */
export interface ThrowawayPostgres {
  /** Its superuser URL of the `postgres` database. */
  readonly url: string;
  /** The extra server options it was started with. */
  readonly settings: string;
  /** Stops it (`-m immediate`: the data is thrown away) and deletes its directory; safe to call twice. */
  stop(): void;
  /**
   * Stops it at once, keeping its data (`pg_ctl stop -m immediate`: no shutdown checkpoint, as in a
   * crash; the next start recovers from the write-ahead log). Connections are cut; new ones refused.
   */
  crash(): void;
  /** Starts it again after `crash`, on the same port and settings (it recovers first). */
  restart(): void;
}

/** Initialises and starts a throwaway server; on failure nothing is left running or on disk. */
export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const bin = options.bin ?? findPostgresBinaries();
  const settings = options.settings ?? '';
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), options.directoryPrefix ?? 'luoshi-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'log');
  let started = false;
  const run = (tool: string, args: readonly string[]): void => {
    const command = [join(bin, tool), ...args].map(quote).join(' ');
    try {
      if (asRoot) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: 'pipe' });
      else execFileSync('sh', ['-c', command], { stdio: 'pipe' });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(`${tool} failed: ${stderr}${log === '' ? '' : `\nserver log:\n${log}`}`, { cause: error });
    }
  };
  const stop = (): void => {
    try {
      if (started) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      started = false;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    if (asRoot) {
      const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      if (uid.status !== 0) throw new Error(`Running as root, but there is no "postgres" user to run initdb as. ${INSTALL_HINT}`);
      chownSync(dir, Number(uid.stdout), Number(gid.stdout));
    }
    chmodSync(dir, 0o700);
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} ${settings}`.trim();
      const start = () => run('pg_ctl', ['-D', data, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
      try {
        start();
        started = true;
        return {
          url: `postgres://postgres@127.0.0.1:${port}/postgres`,
          settings,
          stop,
          crash: () => {
            if (!started) return;
            run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
            started = false;
          },
          restart: () => {
            if (started) return;
            start();
            started = true;
          },
        };
      } catch (error) {
        // Another process may have taken the port between the probe and the start.
        lastError = error;
      }
    }
    throw lastError;
  } catch (error) {
    stop();
    throw error;
  }
}
