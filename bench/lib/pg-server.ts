import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * A throwaway PostgreSQL server for the benchmarks, the recipe of test/support/postgres-global-setup.ts:
 * initdb (trust, UTF8, --no-locale so C collation) into a temp directory, start on 127.0.0.1 and a
 * free port; as root, initdb and pg_ctl run as `postgres` through su. `stop()` stops it and deletes
 * the directory. Binaries: LUOSHI_PG_BIN, else the newest /usr/lib/postgresql/<n>/bin.
 */

function findBinaries(): string {
  const fromEnv = process.env['LUOSHI_PG_BIN'];
  const candidates = fromEnv ? [fromEnv] : [];
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const v of readdirSync(debian).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(b) - Number(a))) candidates.push(join(debian, v, 'bin'));
  }
  const found = candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
  if (!found) throw new Error('PostgreSQL binaries not found: as root, `apt-get update && apt-get install -y postgresql`, or set LUOSHI_PG_BIN');
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

export interface ThrowawayPostgres {
  readonly url: string;
  readonly settings: string;
  stop(): void;
}

/**
 * Starts a throwaway server with `settings` (extra `-c` options; the default server is durable:
 * fsync and synchronous_commit on). Returns its superuser URL of the `postgres` database.
 */
export async function startThrowawayPostgres(settings = ''): Promise<ThrowawayPostgres> {
  const bin = findBinaries();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-bench-pg-'));
  if (asRoot) {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0) throw new Error('running as root, but there is no "postgres" user to run initdb as');
    chownSync(dir, Number(uid.stdout), Number(gid.stdout));
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const logFile = join(dir, 'log');
  const run = (tool: string, args: readonly string[]): void => {
    const command = [join(bin, tool), ...args].map(quote).join(' ');
    try {
      if (asRoot) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: 'pipe' });
      else execFileSync('sh', ['-c', command], { stdio: 'pipe' });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(`${tool} failed: ${stderr}${log ? `\nserver log:\n${log}` : ''}`, { cause: error });
    }
  };
  let started = false;
  const stop = (): void => {
    try {
      if (started) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      started = false;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    const port = await freePort();
    run('pg_ctl', ['-D', data, '-l', logFile, '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} ${settings}`.trim(), '-w', '-t', '30', 'start']);
    started = true;
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, settings, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
