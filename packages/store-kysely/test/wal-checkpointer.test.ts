import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstanceRecord } from '@luoshi/engine';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createKyselyStore } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'luoshi-wal-checkpointer-'));
let files = 0;
const freshFile = (): string => join(dir, `store-${++files}.db`);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const walSize = (file: string): number => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

const unit = (revision: number): InstanceRecord => ({
  id: 'i1',
  campaignId: 'c1',
  unitId: 'unit-i1',
  unitPath: '/root/i1/',
  phase: 'implement',
  overdue: revision % 7,
  escalated: 0,
  ended: false,
  snapshot: { value: '组织实施', context: { revision, notes: '落实'.repeat(200) } },
  revision,
});

async function autocheckpoint(store: Awaited<ReturnType<typeof createKyselyStore>>): Promise<number> {
  const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
  return Number(rows[0]?.wal_autocheckpoint);
}

/** Runs `source` as an ES module in a child Node; resolves with its exit code, stdout and stderr. */
function runScript(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = join(dir, `script-${++files}.mjs`);
  writeFileSync(script, source);
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

const built = new URL('../dist/index.js', import.meta.url);

describe('given a SQLite file store with background checkpoints (the default)', () => {
  it('when 20 000 events commit one transaction each, without ever yielding to the event loop, then the WAL stays bounded and everything is there after reopening', async () => {
    const file = freshFile();
    const store = await createKyselyStore({ sqlite: file });
    expect(await autocheckpoint(store)).toBe(0);
    await store.transaction((tx) => tx.insertInstance(unit(1)));
    let largest = 0;
    const events = 20_000;
    for (let revision = 1; revision <= events; revision++) {
      await store.transaction(async (tx) => {
        await tx.updateInstance(unit(revision + 1), revision);
        await tx.appendHistory({
          instanceId: 'i1',
          revision: revision + 1,
          type: 'score.given',
          event: JSON.stringify({ type: 'score.given', score: 80 + (revision % 20) }),
          actor: 'clerk',
          cause: 'host',
          at: revision,
          state: '"组织实施"',
          idempotencyKey: null,
        });
      });
      if (revision % 500 === 0) largest = Math.max(largest, walSize(file));
    }
    // Unchecked, these commits write about 300 MB of log; the catch-ups restart it at 8,192 pages
    // (about 32 MB) and `journal_size_limit` cuts it back to 64 MB.
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(100 * 1024 * 1024);
    await store.close();

    const reopened = await createKyselyStore({ sqlite: file });
    expect(await reopened.getInstance('i1')).toEqual(unit(events + 1));
    expect(await reopened.history('i1')).toHaveLength(events);
    await reopened.close();
    // The last connection to close checkpoints the log and removes it.
    expect(walSize(file)).toBe(0);
  });

  it("when checkpoint is 'auto', or the database is :memory:, then SQLite's automatic checkpoint stays on", async () => {
    const auto = await createKyselyStore({ sqlite: freshFile(), checkpoint: 'auto' });
    expect(await autocheckpoint(auto)).toBe(1000);
    await auto.close();
    const memory = await createKyselyStore({ sqlite: ':memory:' });
    expect(await autocheckpoint(memory)).toBe(1000);
    await memory.close();
  });

  it('when a script ends without closing its store, then the checkpoint worker does not keep the process alive', async () => {
    expect(existsSync(built), 'build store-kysely first (npx tsc -b packages/store-kysely)').toBe(true);
    const started = performance.now();
    const result = await runScript(`
const { createKyselyStore } = await import(${JSON.stringify(built.href)});
const store = await createKyselyStore({ sqlite: ${JSON.stringify(freshFile())} });
await store.transaction((tx) => tx.replaceTimers('i1', [{ instanceId: 'i1', key: 'deadline', dueAt: 5 }]));
console.log('done');
`);
    expect(result).toMatchObject({ code: 0, stdout: 'done\n' });
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('when the last step of a script is `await store.close()`, then it finishes (no unsettled await) and closing again does nothing', async () => {
    const file = freshFile();
    const result = await runScript(`
const { createKyselyStore } = await import(${JSON.stringify(built.href)});
const store = await createKyselyStore({ sqlite: ${JSON.stringify(file)} });
await store.transaction((tx) => tx.replaceTimers('i1', [{ instanceId: 'i1', key: 'deadline', dueAt: 5 }]));
await store.close();
await store.close();
console.log('closed');
`);
    expect(result).toMatchObject({ code: 0, stdout: 'closed\n', stderr: '' });
    const store = await createKyselyStore({ sqlite: file });
    expect(await store.timers('i1')).toEqual([{ instanceId: 'i1', key: 'deadline', dueAt: 5 }]);
    await store.close();
  });
});

describe('given a checkpoint worker that never gets to run in time', () => {
  it('when the log passes the hard limit, then the writer checkpoints it on its own thread and the log stays bounded', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { WalCheckpointer } = await import('../src/sqlite/wal-checkpointer.js');
    const { AsyncLock } = await import('../src/async-lock.js');
    const file = freshFile();
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('create table t (id integer primary key, body text)');
    // A worker that sleeps far longer than the test and is never asked to catch up.
    const checkpointer = new WalCheckpointer(db, new AsyncLock(), { intervalMs: 3_600_000, restartFrames: 1 << 30 });
    const insert = db.prepare('insert into t (body) values (?)');
    const body = '落实'.repeat(2000);
    const sizes: number[] = [];
    for (let i = 0; i < 12_000; i++) {
      insert.run(body);
      checkpointer.afterCommit();
      if (i % 200 === 0) sizes.push(walSize(file));
    }
    const largest = Math.max(...sizes);
    // Unchecked, 12,000 commits of 12 KB write well over 150 MB of log.
    expect(largest).toBeGreaterThan(40 * 1024 * 1024);
    // The writer truncated it on its own thread: near the limit (80 MB, looked at every 128 commits) the
    // log fell to almost nothing (samples every 200 commits, about 4 MB apart).
    expect(sizes.some((size, i) => i > 0 && (sizes[i - 1] as number) > 70 * 1024 * 1024 && size < 10 * 1024 * 1024)).toBe(true);
    // Bounded: past the limit only by what is written while a truncation finds the log busy (the
    // worker's checkpoint holding it; retried after every commit) — 108 MB seen on a loaded disk.
    expect(largest).toBeLessThan(130 * 1024 * 1024);
    await checkpointer.stop();
    expect((db.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(12_000);
    db.close();
  });
});
