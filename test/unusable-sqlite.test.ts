import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './support/campaign-harness.js';

/*
 * A SQLite file the live commands cannot use, through the installed command: damaged mid-file, or
 * one this user may only read. Each command refuses it with a coded error and exit 1 before it
 * writes anything, so the file's bytes stay as they were (a damaged file written on is damaged
 * further; the commands used to go on writing while the damage lay in pages they did not read).
 */

const bin = join(root, 'packages/cli/bin/luoshi.js');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function luoshi(args: readonly string[], options: { uid?: number; gid?: number } = {}) {
  // A bound, not an expectation: `serve` on a file it should refuse would otherwise serve for ever.
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'en_US.UTF-8' },
    timeout: 60_000,
    ...options,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
/** Nothing more: the campaign is on its rehearsal clock (2 April 2010), and the commands stamp its changes with it. */
const NOW: string[] = [];
const SEND = ['send', 'zf/u01', '{"type":"task.completed","task":"支部组织动员"}', '--actor', '张三'];

/** A campaign of 40 units in a file, closed (its log checkpointed into the file), made once. */
let pristine: string | undefined;

/** A copy of the campaign's file in a folder of its own. */
function campaignFile(): { readonly dir: string; readonly db: string } {
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-unusable-'));
    dirs.push(dir);
    return dir;
  };
  if (pristine === undefined) {
    const dir = tempDir();
    const db = join(dir, 'campaign.sqlite');
    const org = join(dir, 'org.json');
    const units = Array.from({ length: 40 }, (_, i) => ({ id: `u${String(i + 1).padStart(2, '0')}`, members: [{ id: i === 0 ? '张三' : `m${i}` }] }));
    writeFileSync(org, JSON.stringify({ id: 'office', units }));
    expect(luoshi(['deploy', 'processes/', '--db', db]).code).toBe(0);
    expect(luoshi(['start', '机关作风建设年', '--org', org, '--campaign', 'zf', '--db', db, '--now', '2010-04-02T09:00']).code).toBe(0);
    expect(existsSync(`${db}-wal`)).toBe(false);
    pristine = db;
  }
  const dir = tempDir();
  const db = join(dir, 'campaign.sqlite');
  copyFileSync(pristine, db);
  return { dir, db };
}

/** Overwrites the page where the b-tree `name` starts with a pattern no page has. */
function damagePageOf(db: string, name: string): number {
  const reader = new BetterSqlite3(db, { readonly: true });
  const { rootpage } = reader.prepare('select rootpage from sqlite_master where name = ?').get(name) as { rootpage: number };
  const pageSize = reader.pragma('page_size', { simple: true }) as number;
  const pages = reader.pragma('page_count', { simple: true }) as number;
  reader.close();
  const bytes = readFileSync(db);
  bytes.fill(0xa5, (rootpage - 1) * pageSize, rootpage * pageSize);
  writeFileSync(db, bytes);
  // Mid-file: pages before and after it hold the rest of the campaign.
  expect(rootpage).toBeGreaterThan(1);
  expect(rootpage).toBeLessThan(pages);
  return rootpage;
}

describe('given a SQLite file damaged mid-file', () => {
  it('when the damage lies in pages status and send never read, then status, send and history all refuse it with STORE_CORRUPT and exit 1, and the file is unchanged', () => {
    const { db } = campaignFile();
    damagePageOf(db, 'sqlite_autoindex_outbox_1');
    const before = sha(db);
    for (const command of [['status', 'zf'], SEND, ['history', 'zf/u01'], ['tasks', 'zf/u01']]) {
      const run = luoshi([...command, '--db', db, ...NOW]);
      expect(run.stderr, command[0]).toMatch(new RegExp(`^STORE_CORRUPT The database ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged: `));
      expect(run.code, command[0]).toBe(1);
      expect(run.stdout, command[0]).toBe('');
      expect(sha(db), command[0]).toBe(before);
    }
  });

  it('when the damage lies in the history, then history refuses it with STORE_CORRUPT, in the user\'s language, never a raw SqliteError', () => {
    const { db } = campaignFile();
    damagePageOf(db, 'history');
    const before = sha(db);
    const run = luoshi(['history', 'zf/u01', '--db', db, ...NOW]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^STORE_CORRUPT /);
    expect(run.stderr).not.toMatch(/SqliteError|at .*\.js:\d+/);
    const zh = spawnSync(process.execPath, [bin, 'history', 'zf/u01', '--db', db, ...NOW], { cwd: root, encoding: 'utf8', env: { ...process.env, LANG: 'zh_CN.UTF-8' } });
    expect(zh.status).toBe(1);
    expect(zh.stderr).toContain(`STORE_CORRUPT 数据库 ${db} 已损坏：`);
    expect(sha(db)).toBe(before);
  });

  it('when `luoshi serve` is started on it, then it refuses with STORE_CORRUPT and exit 1', () => {
    const { dir, db } = campaignFile();
    damagePageOf(db, 'sqlite_autoindex_outbox_1');
    const users = join(dir, 'users.json');
    writeFileSync(users, JSON.stringify({ 't-1': { id: '张三', roles: ['领导小组'] } }));
    const run = luoshi(['serve', '--db', db, '--port', '0', '--users', users]);
    expect(run.stderr).toMatch(/^STORE_CORRUPT /);
    expect(run.code).toBe(1);
  });
});

describe('given a SQLite file this user may only read', () => {
  // Root may write any file: the command then runs as the unprivileged `nobody`, for whom the mode counts.
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? { uid: 65534, gid: 65534 } : {};
  let db: string;
  let before: string;
  beforeAll(() => {
    const made = campaignFile();
    db = made.db;
    chmodSync(made.dir, 0o755);
    if (asRoot) chownSync(made.dir, 65534, 65534);
    chmodSync(db, 0o444);
    before = sha(db);
  });

  it('when a command needs to write to it, then it says STORE_READ_ONLY, not "unable to open", with exit 1, and the file is unchanged', () => {
    for (const command of [SEND, ['clock', 'zf', '--advance', '1d']]) {
      const run = luoshi([...command, '--db', db, ...NOW], user);
      expect(run.stderr, command[0]).toBe(`STORE_READ_ONLY The database ${db} is read-only; this command needs to write to it\n`);
      expect(run.code, command[0]).toBe(1);
      expect(sha(db), command[0]).toBe(before);
    }
  });

  it('when a command only reads it (status, tasks, history, items, extensions, clock shown), then it answers from it, exit 0, and the file is unchanged', () => {
    for (const command of [['status', 'zf'], ['tasks', 'zf/u01'], ['history', 'zf/u01'], ['items', 'zf'], ['extensions', 'zf'], ['clock', 'zf']]) {
      const run = luoshi([...command, '--db', db, ...NOW], user);
      expect(run.stderr, command[0]).toBe('');
      expect(run.code, command[0]).toBe(0);
      expect(sha(db), command[0]).toBe(before);
    }
    // The office and its 40 units, each an instance.
    expect(luoshi(['status', 'zf', '--db', db], user).stdout).toMatch(/^Campaign zf, office and 41 unit\(s\) under it: /);
  }, 180_000); // seven processes each start the CLI afresh: 5–10 s apiece on a loaded 2-core machine
});

describe('given a SQLite file that is no Luoshi database at its latest version: empty, or written by a release before the rehearsal clocks', () => {
  const READS = [['status', 'zf'], ['tasks', 'zf/u01'], ['history', 'zf/u01'], ['items', 'zf'], ['extensions', 'zf'], ['clock', 'zf']];

  it('when a command only reads it, then CLI_DATABASE_NOT_READY naming what is missing, exit 2, and not a byte of it is written (a read used to migrate it)', () => {
    const { dir } = campaignFile();
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    const { db: older } = campaignFile();
    // As release 7967bde left it: no campaign_clocks table, its migration not recorded.
    const writer = new BetterSqlite3(older);
    writer.exec("drop table campaign_clocks; delete from luoshi_migration where name = '002_campaign_clocks'");
    writer.close();
    for (const [db, missing] of [[empty, '001_initial, 002_campaign_clocks'], [older, '002_campaign_clocks']] as const) {
      const before = sha(db);
      for (const command of READS) {
        const run = luoshi([...command, '--db', db]);
        expect(run.stderr, command[0]).toBe(
          `CLI_DATABASE_NOT_READY The database ${db} is not a Luoshi database at its latest version (missing: ${missing}), and a command that reads never changes one. Run \`luoshi migrate\` on it first, or check --db\n`,
        );
        expect(run.code, command[0]).toBe(2);
        expect(sha(db), command[0]).toBe(before);
      }
      // SQLite's side files are a WAL database's (the older one's): the empty file is left as it was, alone.
      if (db === empty) expect(existsSync(`${db}-wal`) || existsSync(`${db}-shm`)).toBe(false);
    }
    // migrate brings the older one up to date, and a read then answers from it.
    expect(luoshi(['migrate', '--db', older]).code).toBe(0);
    expect(luoshi(['status', 'zf', '--db', older]).code).toBe(0);
  }, 180_000); // fourteen CLI processes, each started afresh
});
